import { mannKendallVariance, tieGroups } from './mann-kendall.js';
import { normalQuantile } from './normal.js';
import { quantileSorted } from './quantile.js';

export interface Point {
  x: number;
  y: number;
}

export interface TheilSen {
  n: number;
  /** Median of the slopes between every pair of points. */
  slope: number;
  /** y at x = 0 of the fitted line: median of y - slope * x. */
  intercept: number;
  /** Sen's distribution-free confidence interval for the slope. */
  slopeLow: number;
  slopeHigh: number;
  confidence: number;
}

/** Value at a 1-based, possibly fractional rank, clamped to the ends. */
function atRank(sorted: Float64Array, rank: number): number {
  return quantileSorted(sorted, (rank - 1) / (sorted.length - 1 || 1));
}

/**
 * Theil-Sen line: robust to outliers (up to ~29 % of the points) and to non-normal noise such as a GC sawtooth.
 * The slope's confidence interval is Sen's (1968): the ranks (N -/+ z * sqrt(Var S)) / 2 among the N pairwise
 * slopes, with the Mann-Kendall variance of S (tie-corrected). When n is too small for the interval
 * (roughly n < 5 at 95 %) it is clamped to the range of the observed slopes.
 * O(n^2) time and memory: reduce long series first (see buckets.ts).
 */
export function theilSen(points: readonly Point[], confidence = 0.95): TheilSen {
  const n = points.length;
  if (n < 2) {
    const intercept = points[0]?.y ?? Number.NaN;
    return { n, slope: 0, intercept, slopeLow: 0, slopeHigh: 0, confidence };
  }
  // Straight into a typed array: a few hundred points make a hundred thousand slopes, per series fitted.
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let pairs = 0;
  for (let i = 0; i < n - 1; i += 1) {
    const { x, y } = points[i]!;
    for (let j = i + 1; j < n; j += 1) {
      const dx = points[j]!.x - x;
      if (dx !== 0) slopes[pairs++] = (points[j]!.y - y) / dx;
    }
  }
  if (pairs === 0) {
    return { n, slope: 0, intercept: quantileSorted(sortedOf(points.map((point) => point.y)), 0.5), slopeLow: 0, slopeHigh: 0, confidence };
  }
  const sorted = slopes.subarray(0, pairs).sort();
  const slope = quantileSorted(sorted, 0.5);
  const intercept = quantileSorted(sortedOf(points.map((point) => point.y - slope * point.x)), 0.5);

  const count = sorted.length;
  const halfWidth = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(mannKendallVariance(n, tieGroups(points.map((point) => point.y))));
  const slopeLow = atRank(sorted, (count - halfWidth) / 2);
  const slopeHigh = atRank(sorted, (count + halfWidth) / 2 + 1);
  return { n, slope, intercept, slopeLow, slopeHigh, confidence };
}

function sortedOf(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}
