/** Pure pieces of the large-effect rule, tested on hand-made series. */

/** A change relative to its base; from a zero base, infinite in the change's direction. */
export const relative = (change: number, base: number): number => (base !== 0 ? change / Math.abs(base) : change === 0 ? 0 : Math.sign(change) * Infinity);

/** How many of `after` lie beyond every value of `before` in the worse direction (all of them when `before` is empty). */
export function pastWorst(before: readonly number[], after: readonly number[], worse: 'higher' | 'lower'): number {
  if (worse === 'higher') {
    const worst = Math.max(...before);
    return after.filter((value) => value > worst).length;
  }
  const worst = Math.min(...before);
  return after.filter((value) => value < worst).length;
}

/**
 * A percentile is set by the slowest few requests, so one stall that holds up 1 % of a short run's
 * requests can double a p99 on its own; a change that lasts shows in more than one bucket. So a large
 * change of a percentile must also put two of the run's buckets (or its only one) past the baseline's worst.
 */
export const MIN_BUCKETS_PAST_WORST = 2;

export function spreadEnough(before: readonly number[], after: readonly number[], worse: 'higher' | 'lower'): boolean {
  return after.length > 0 && pastWorst(before, after, worse) >= Math.min(MIN_BUCKETS_PAST_WORST, after.length);
}
