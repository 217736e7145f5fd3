import { mannKendall, normalQuantile, theilSen, type Point } from './stats/index.js';

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
  /** Theil-Sen slope over the last quarter of the window, and over the three quarters before it. */
  tailSlopePerMs: number;
  headSlopePerMs: number;
  significant: boolean;
  /** Still growing at the end of the window: not a series that filled and then stopped (see `stopOf`). */
  sustained: boolean;
  /** A significant rise, with slope and rise above the criteria, sustained or not. */
  grows: boolean;
  /** Grows, and is still growing at the end: a leak's shape. */
  passes: boolean;
}

/** Points needed before a trend is tested at all: with 6 distinct values a perfect rise has exact p = 1/720. */
export const MIN_GROWTH_POINTS = 6;
/** The tail a stop is looked for in: the last quarter of the window. */
const TAIL_SHARE = 0.25;
/** Growth has stopped when the tail keeps less than this share of the slope before it... */
const STOPPED_SHARE = 0.5;
/** ...and is lower than it with this one-sided confidence. */
const STOPPED_Z = normalQuantile(0.99);
/** Sen's interval is a 95 % one: its half-width is 1.96 standard errors of the slope. */
const Z_95 = normalQuantile(0.975);

interface Stop {
  stopped: boolean;
  tailSlopePerMs: number;
  headSlopePerMs: number;
}

/**
 * Whether the growth stopped before the end of the window, as a cache or pool does when it is full:
 * the Theil-Sen slope of the last quarter of the window is below half the slope of the three quarters
 * before it, and significantly lower (one-sided 99 %, the two slopes' standard errors taken from
 * Sen's 95 % intervals). A leak that rises in steps, or that is merely noisy at the end, is not taken
 * for a stop: its tail is not significantly slower than its head.
 */
function stopOf(points: readonly Point[], windowStart: number, windowEnd: number): Stop {
  const cut = windowEnd - TAIL_SHARE * (windowEnd - windowStart);
  const head = points.filter((point) => point.x < cut);
  const tail = points.filter((point) => point.x >= cut);
  if (head.length < 3 || tail.length < 3) return { stopped: false, tailSlopePerMs: Number.NaN, headSlopePerMs: Number.NaN };
  const headFit = theilSen(head);
  const tailFit = theilSen(tail);
  const standardError = (fit: typeof headFit) => (fit.slopeHigh - fit.slopeLow) / (2 * Z_95);
  const spread = Math.hypot(standardError(headFit), standardError(tailFit));
  const slower = headFit.slope - tailFit.slope;
  const significant = spread > 0 ? slower / spread > STOPPED_Z : slower > 0;
  return { stopped: tailFit.slope < STOPPED_SHARE * headFit.slope && significant, tailSlopePerMs: tailFit.slope, headSlopePerMs: headFit.slope };
}

/**
 * Tests reduced points (one per bucket, in time order) for sustained upward growth: a significant
 * Mann-Kendall trend, a Theil-Sen slope and rise above the criteria, and growth that has not stopped
 * by the end of the window (a bounded cache fills, then stays flat; a leak keeps going). Undefined
 * with too few points.
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
  const stop = stopOf(shifted, 0, windowEnd - windowStart);
  const significant = trend.pIncreasing < criteria.alpha;
  const sustained = fit.slope > 0 && !stop.stopped;
  const grows = significant && fit.slope >= criteria.minSlopePerMs && rise >= criteria.minRise;
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
    tailSlopePerMs: stop.tailSlopePerMs,
    headSlopePerMs: stop.headSlopePerMs,
    significant,
    sustained,
    grows,
    passes: grows && sustained,
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
