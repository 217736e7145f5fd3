import { mannKendall, theilSen, type Point } from './stats/index.js';

/** What counts as growth worth a finding, in the series' own units (bytes, handles) per ms. */
export interface GrowthCriteria {
  alpha: number;
  minSlopePerMs: number;
  /** Least rise of the fitted line over the window: below it growth cannot be told from housekeeping. */
  minRise: number;
}

export interface GrowthTest {
  n: number;
  windowStart: number;
  windowEnd: number;
  /** Fitted line y = y0 + slopePerMs * (t - t0), t0 = windowStart. */
  t0: number;
  y0: number;
  slopePerMs: number;
  slopeLowPerMs: number;
  slopeHighPerMs: number;
  /** One-sided Mann-Kendall p-value for "increasing". */
  p: number;
  tau: number;
  rise: number;
  lastHalfSlopePerMs: number;
  significant: boolean;
  /** The second half of the window still grows at least half as fast as the whole: not a cache that filled and stopped. */
  sustained: boolean;
  passes: boolean;
}

/** Points needed before a trend is tested at all: with 6 distinct values a perfect rise has exact p = 1/720. */
export const MIN_GROWTH_POINTS = 6;
/** The last half must keep at least this share of the overall slope. */
const SUSTAINED_SHARE = 0.5;

function sustainedSlope(points: readonly Point[], windowStart: number, windowEnd: number): number {
  const middle = (windowStart + windowEnd) / 2;
  const lastHalf = points.filter((point) => point.x >= middle);
  return lastHalf.length >= 3 ? theilSen(lastHalf).slope : 0;
}

/**
 * Tests reduced points (one per bucket, in time order) for sustained upward growth: a significant
 * Mann-Kendall trend, a Theil-Sen slope and rise above the criteria, and a second half that still grows
 * (a bounded cache fills, then stays flat; a leak keeps going). Undefined with too few points.
 */
export function testGrowth(points: readonly Point[], criteria: GrowthCriteria): GrowthTest | undefined {
  if (points.length < MIN_GROWTH_POINTS) return undefined;
  const windowStart = points[0]!.x;
  const windowEnd = points[points.length - 1]!.x;
  // Fit on time since the window start: epoch ms times a slope would eat the precision of the intercept.
  const shifted = points.map((point) => ({ x: point.x - windowStart, y: point.y }));
  const trend = mannKendall(points.map((point) => point.y));
  const fit = theilSen(shifted);
  const rise = fit.slope * (windowEnd - windowStart);
  const lastHalfSlopePerMs = sustainedSlope(shifted, 0, windowEnd - windowStart);
  const significant = trend.pIncreasing < criteria.alpha;
  const sustained = fit.slope > 0 && lastHalfSlopePerMs >= SUSTAINED_SHARE * fit.slope;
  return {
    n: points.length,
    windowStart,
    windowEnd,
    t0: windowStart,
    y0: fit.intercept,
    slopePerMs: fit.slope,
    slopeLowPerMs: fit.slopeLow,
    slopeHighPerMs: fit.slopeHigh,
    p: trend.pIncreasing,
    tau: trend.tau,
    rise,
    lastHalfSlopePerMs,
    significant,
    sustained,
    passes: significant && sustained && fit.slope >= criteria.minSlopePerMs && rise >= criteria.minRise,
  };
}

/**
 * Time to first detection: the end of the shortest prefix of the points on which `passes` already holds,
 * found by bisection (growth that is detectable on a prefix stays detectable on longer ones).
 */
export function firstDetection(points: readonly Point[], passes: (prefix: readonly Point[]) => boolean): number | undefined {
  let low = MIN_GROWTH_POINTS;
  let high = points.length;
  if (high < low || !passes(points)) return undefined;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (passes(points.slice(0, middle))) high = middle;
    else low = middle + 1;
  }
  return points[high - 1]!.x;
}
