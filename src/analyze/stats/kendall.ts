import { tieGroups } from './mann-kendall.js';
import { normalUpperTail } from './normal.js';

export interface Kendall {
  n: number;
  /** Concordant minus discordant pairs. */
  s: number;
  varS: number;
  /** One-sided p-value for "y rises with x". */
  pPositive: number;
  /** Kendall's tau-b. */
  tau: number;
}

const sign = (value: number) => (value > 0 ? 1 : value < 0 ? -1 : 0);
const sumOf = (groups: readonly number[], term: (t: number) => number) => groups.reduce((sum, t) => sum + term(t), 0);

/**
 * Kendall's rank correlation between two paired samples, tested against "no association" with the
 * normal approximation and the variance of S corrected for ties in both (Kendall 1970, eq. 4.4).
 * Mann-Kendall is the special case where x is time. O(n^2): reduce long series first.
 */
export function kendall(xs: readonly number[], ys: readonly number[]): Kendall {
  const n = Math.min(xs.length, ys.length);
  let s = 0;
  for (let i = 0; i < n - 1; i += 1) {
    for (let j = i + 1; j < n; j += 1) s += sign(xs[j]! - xs[i]!) * sign(ys[j]! - ys[i]!);
  }
  const tx = tieGroups(xs.slice(0, n));
  const ty = tieGroups(ys.slice(0, n));
  const base = (t: number) => t * (t - 1) * (2 * t + 5);
  const pairsOf = (t: number) => t * (t - 1);
  const triplesOf = (t: number) => t * (t - 1) * (t - 2);
  const varS =
    n < 3
      ? 0
      : (base(n) - sumOf(tx, base) - sumOf(ty, base)) / 18 +
        (sumOf(tx, pairsOf) * sumOf(ty, pairsOf)) / (2 * n * (n - 1)) +
        (sumOf(tx, triplesOf) * sumOf(ty, triplesOf)) / (9 * n * (n - 1) * (n - 2));
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - sumOf(tx, pairsOf) / 2) * (pairs - sumOf(ty, pairsOf) / 2));
  const tau = denominator > 0 ? s / denominator : 0;
  if (!(varS > 0)) return { n, s, varS, pPositive: 1, tau };
  // Continuity correction, as for Mann-Kendall.
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  return { n, s, varS, pPositive: normalUpperTail(z), tau };
}
