import { independentBlocks } from './blocks.js';
import { hodgesLehmann, mannWhitney } from './mann-whitney.js';
import { normalQuantile, normalUpperTail } from './normal.js';
import { median } from './quantile.js';

/**
 * Two samples of buckets compared in blocks of consecutive buckets (blocks.ts), so that autocorrelated
 * buckets do not count as independent values: Mann-Whitney for "did it move", Hodges-Lehmann for "by how
 * much", both on the same block means.
 */
export interface ShiftTest {
  test: string;
  /** Blocks of each sample: the values tested. */
  nBefore: number;
  nAfter: number;
  /** Buckets per block (1: the buckets themselves), from the buckets' pooled lag-1 autocorrelation. */
  bucketsPerBlock: number;
  autocorrelation: number;
  /** Medians of the block means. */
  medianBefore: number;
  medianAfter: number;
  /** after - before, with its confidence interval. */
  shift: number;
  shiftLow: number;
  shiftHigh: number;
  confidence: number;
  /** U of the after sample. */
  u: number;
  z: number;
  /** Two-sided. */
  p: number;
  /** One-sided: after tends higher / lower than before. */
  pHigher: number;
  pLower: number;
}

/** Below this many values per sample even a complete separation is not significant at 0.01 (5 vs 5: p = 1/252). */
export const MIN_SHIFT_SAMPLES = 5;

/** Undefined when either sample has too few buckets, or too few blocks of them, for a test that could ever be significant. */
export function shiftTest(before: readonly number[], after: readonly number[], confidence = 0.95): ShiftTest | undefined {
  if (before.length < MIN_SHIFT_SAMPLES || after.length < MIN_SHIFT_SAMPLES) return undefined;
  const blocks = independentBlocks(before, after);
  if (blocks.before.length < MIN_SHIFT_SAMPLES || blocks.after.length < MIN_SHIFT_SAMPLES) return undefined;
  const test = mannWhitney(blocks.after, blocks.before);
  const shift = hodgesLehmann(blocks.before, blocks.after, confidence);
  return {
    test: `Mann-Whitney U${test.exact ? ' (exact)' : ' (normal approximation, tie-corrected)'}`,
    nBefore: blocks.before.length,
    nAfter: blocks.after.length,
    bucketsPerBlock: blocks.length,
    autocorrelation: blocks.autocorrelation,
    medianBefore: median(blocks.before),
    medianAfter: median(blocks.after),
    shift: shift.shift,
    shiftLow: shift.low,
    shiftHigh: shift.high,
    confidence,
    u: test.u1,
    z: test.z,
    p: test.p,
    pHigher: test.pGreater,
    pLower: test.pLess,
  };
}

/** A fitted slope with its confidence interval at `confidence`. */
export interface SlopeEstimate {
  slope: number;
  low: number;
  high: number;
  confidence: number;
}

export interface SlopeComparison {
  test: string;
  before: number;
  after: number;
  /** after - before, with its confidence interval. */
  difference: number;
  differenceLow: number;
  differenceHigh: number;
  confidence: number;
  z: number;
  /** Two-sided, and one-sided for "after is steeper". */
  p: number;
  pHigher: number;
}

/**
 * Two independent slopes compared with a z-test, each standard error read off its interval as if it
 * were normal (half-width / z). Theil-Sen intervals are distribution-free, so this is an approximation;
 * it is conservative when the intervals are wide, which is when the slopes are least sure.
 */
export function compareSlopes(before: SlopeEstimate, after: SlopeEstimate, confidence = 0.95): SlopeComparison {
  const se = (estimate: SlopeEstimate) => (estimate.high - estimate.low) / (2 * normalQuantile(1 - (1 - estimate.confidence) / 2));
  const difference = after.slope - before.slope;
  const spread = Math.hypot(se(before), se(after));
  const z = spread > 0 ? difference / spread : difference === 0 ? 0 : Math.sign(difference) * Infinity;
  const half = normalQuantile(1 - (1 - confidence) / 2) * spread;
  return {
    test: 'z-test of two Theil-Sen slopes (standard errors from their Sen intervals)',
    before: before.slope,
    after: after.slope,
    difference,
    differenceLow: difference - half,
    differenceHigh: difference + half,
    confidence,
    z,
    p: Math.min(1, 2 * normalUpperTail(Math.abs(z))),
    pHigher: normalUpperTail(z),
  };
}
