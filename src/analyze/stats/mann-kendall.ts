import { normalUpperTail } from './normal.js';

export interface MannKendall {
  n: number;
  /** Concordant minus discordant pairs: positive for a rising series. */
  s: number;
  /** Variance of S under "no trend", corrected for ties. */
  varS: number;
  /** Normal score of S with continuity correction. */
  z: number;
  /** Two-sided p-value: any monotonic trend. */
  p: number;
  /** One-sided p-value for the alternative "increasing" (what leak detectors test). */
  pIncreasing: number;
  /** Kendall's tau-b between the values and time (ties in the values accounted for). */
  tau: number;
}

/** Exact null distribution is used up to this n when there are no ties; above it the normal approximation is good. */
const EXACT_MAX_N = 10;

function sign(value: number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/** Sizes of groups of equal values (only groups of two or more matter). */
export function tieGroups(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.values()].filter((count) => count > 1);
}

/** Var(S) = [n(n-1)(2n+5) - sum over tie groups t(t-1)(2t+5)] / 18. */
export function mannKendallVariance(n: number, ties: readonly number[]): number {
  const tieTerm = ties.reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0);
  return (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
}

/**
 * P(S >= s) under "no trend" for n distinct values, from the distribution of inversions of a random
 * permutation (Mahonian numbers): S = pairs - 2 * inversions.
 */
function exactUpperTail(n: number, s: number): number {
  let counts = [1];
  for (let size = 2; size <= n; size += 1) {
    const next = new Array<number>(counts.length + size - 1).fill(0);
    for (let inversions = 0; inversions < counts.length; inversions += 1) {
      for (let added = 0; added < size; added += 1) next[inversions + added]! += counts[inversions]!;
    }
    counts = next;
  }
  const pairs = (n * (n - 1)) / 2;
  const maxInversions = Math.floor((pairs - s) / 2);
  let total = 0;
  let atMost = 0;
  counts.forEach((count, inversions) => {
    total += count;
    if (inversions <= maxInversions) atMost += count;
  });
  return atMost / total;
}

/**
 * Mann-Kendall test for a monotonic trend in values taken at increasing times.
 * Exact p-values for n <= 10 without ties, otherwise the normal approximation with tie-corrected variance.
 * Fewer than 3 values carry no evidence: p = 1.
 */
export function mannKendall(values: readonly number[]): MannKendall {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n - 1; i += 1) {
    for (let j = i + 1; j < n; j += 1) s += sign(values[j]! - values[i]!);
  }
  const ties = tieGroups(values);
  const varS = mannKendallVariance(n, ties);
  const pairs = (n * (n - 1)) / 2;
  const tiedPairs = ties.reduce((sum, t) => sum + (t * (t - 1)) / 2, 0);
  const tauDenominator = Math.sqrt(pairs * (pairs - tiedPairs));
  const tau = tauDenominator > 0 ? s / tauDenominator : 0;
  if (n < 3 || varS <= 0) return { n, s, varS, z: 0, p: 1, pIncreasing: 1, tau };

  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  if (n <= EXACT_MAX_N && ties.length === 0) {
    const upper = (threshold: number) => exactUpperTail(n, threshold);
    return { n, s, varS, z, p: Math.min(1, 2 * upper(Math.abs(s))), pIncreasing: upper(s), tau };
  }
  return { n, s, varS, z, p: Math.min(1, 2 * normalUpperTail(Math.abs(z))), pIncreasing: normalUpperTail(z), tau };
}
