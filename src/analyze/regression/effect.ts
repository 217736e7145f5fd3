/** Pure pieces of the large-effect rule, tested on hand-made series. */
import { quantile } from '../stats/index.js';

/** A change relative to its base; from a zero base, infinite in the change's direction. */
export const relative = (change: number, base: number): number => (base !== 0 ? change / Math.abs(base) : change === 0 ? 0 : Math.sign(change) * Infinity);

/**
 * How many of `after` are far worse than `before`: beyond every value of it and past the large effect
 * (relative: 1 is twice) from its median, in the worse direction. All of them when `before` is empty.
 */
export function farWorse(before: readonly number[], after: readonly number[], worse: 'higher' | 'lower', large: number): number {
  if (before.length === 0) return after.length;
  const median = quantile([...before], 0.5);
  if (worse === 'higher') {
    const bar = Math.max(...before, median * (1 + large));
    return after.filter((value) => value > bar).length;
  }
  const bar = Math.min(...before, median * (1 - large));
  return after.filter((value) => value < bar).length;
}

/**
 * A percentile is set by the slowest few requests, so one stall that holds up 1 % of a short run's
 * requests can double a p99 on its own; a change that lasts shows in more than one bucket. So a large
 * change of a percentile must also put two of the run's buckets (or its only one) far past the
 * baseline's: beyond its worst bucket, which one random bucket of twelve passes half the time, and past
 * the large effect from its median bucket, which noise does not reach.
 */
export const MIN_BUCKETS_FAR_WORSE = 2;

export function spreadEnough(before: readonly number[], after: readonly number[], worse: 'higher' | 'lower', large: number): boolean {
  return after.length > 0 && farWorse(before, after, worse, large) >= Math.min(MIN_BUCKETS_FAR_WORSE, after.length);
}
