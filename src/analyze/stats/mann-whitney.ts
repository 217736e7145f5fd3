import { tieGroups } from './mann-kendall.js';
import { normalQuantile, normalUpperTail } from './normal.js';
import { quantileSorted } from './quantile.js';

export interface MannWhitney {
  n1: number;
  n2: number;
  /** U of the first sample: pairs (x, y) with x > y, a tie counting one half. U1 + U2 = n1 * n2. */
  u1: number;
  u2: number;
  /** Normal score of U1 with continuity correction; 0 when the samples carry no evidence. */
  z: number;
  /** Two-sided p-value: the samples come from different distributions. */
  p: number;
  /** One-sided p-value for the alternative "x tends to be larger than y". */
  pGreater: number;
  /** One-sided p-value for the alternative "x tends to be smaller than y". */
  pLess: number;
  /** Exact null distribution (small samples without ties) rather than the normal approximation. */
  exact: boolean;
}

/** Without ties and up to this many values in all, the exact distribution is cheap (C(40, 20) fits a double exactly). */
const EXACT_MAX_N = 40;

/** Ranks of the values with ties given their mean rank (1-based). */
function midranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) ranks[order[k]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * How many arrangements of m x's and n y's give each U = 0..m*n: the coefficients of the Gaussian
 * binomial [m+n choose m]_q, built as the product over i of (1 - q^(n+i)) / (1 - q^i).
 */
function exactCounts(m: number, n: number): number[] {
  let poly = [1];
  for (let i = 1; i <= m; i += 1) {
    const raised = n + i;
    const product = new Array<number>(poly.length + raised).fill(0);
    poly.forEach((count, k) => {
      product[k]! += count;
      product[k + raised]! -= count;
    });
    const quotient = new Array<number>(product.length - i).fill(0);
    for (let k = 0; k < quotient.length; k += 1) quotient[k] = product[k]! + (k >= i ? quotient[k - i]! : 0);
    poly = quotient;
  }
  return poly;
}

const noEvidence = (n1: number, n2: number, u1: number): MannWhitney => ({ n1, n2, u1, u2: n1 * n2 - u1, z: 0, p: 1, pGreater: 1, pLess: 1, exact: false });

/**
 * Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples: does one tend to give larger
 * values than the other? Exact p-values for small samples without ties, otherwise the normal
 * approximation with the tie-corrected variance and a continuity correction (as scipy's
 * mannwhitneyu with method="asymptotic", use_continuity=True).
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const ranks = midranks([...x, ...y]);
  const rankSumX = ranks.slice(0, n1).reduce((sum, rank) => sum + rank, 0);
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  if (n1 === 0 || n2 === 0) return noEvidence(n1, n2, u1);

  const ties = tieGroups([...x, ...y]);
  const mean = (n1 * n2) / 2;
  const tieTerm = ties.reduce((sum, t) => sum + t * t * t - t, 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return noEvidence(n1, n2, u1);
  const sd = Math.sqrt(variance);
  const distance = Math.max(0, Math.abs(u1 - mean) - 0.5);
  const z = (Math.sign(u1 - mean) * distance) / sd;

  if (ties.length === 0 && n <= EXACT_MAX_N) {
    const counts = exactCounts(n1, n2);
    const total = counts.reduce((sum, count) => sum + count, 0);
    let atLeast = 0;
    let atMost = 0;
    counts.forEach((count, u) => {
      if (u >= u1) atLeast += count;
      if (u <= u1) atMost += count;
    });
    const pGreater = atLeast / total;
    const pLess = atMost / total;
    return { n1, n2, u1, u2: n1 * n2 - u1, z, p: Math.min(1, 2 * Math.min(pGreater, pLess)), pGreater, pLess, exact: true };
  }
  return {
    n1,
    n2,
    u1,
    u2: n1 * n2 - u1,
    z,
    p: Math.min(1, 2 * normalUpperTail(distance / sd)),
    pGreater: normalUpperTail((u1 - mean - 0.5) / sd),
    pLess: normalUpperTail((mean - u1 - 0.5) / sd),
    exact: false,
  };
}

export interface Shift {
  /** Hodges-Lehmann estimate of how far y lies above x: the median of every difference y_j - x_i. */
  shift: number;
  low: number;
  high: number;
  confidence: number;
}

/**
 * The Hodges-Lehmann shift between two samples and Moses' distribution-free confidence interval:
 * the differences ranked C and N + 1 - C of N = n1 * n2, with C from the normal approximation of U.
 * With too few values for the interval it spans every difference. O(n1 * n2) memory.
 */
export function hodgesLehmann(x: readonly number[], y: readonly number[], confidence = 0.95): Shift {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { shift: Number.NaN, low: Number.NaN, high: Number.NaN, confidence };
  const differences = new Float64Array(n1 * n2);
  let k = 0;
  for (const after of y) for (const before of x) differences[k++] = after - before;
  differences.sort();
  const count = differences.length;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const c = Math.max(1, Math.floor((n1 * n2) / 2 - z * Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12)));
  return {
    shift: quantileSorted(differences, 0.5),
    low: differences[Math.min(c, count) - 1]!,
    high: differences[Math.max(count - c, 0)]!,
    confidence,
  };
}
