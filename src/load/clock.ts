/** Calls `flush` at the end of each interval until the function it returns is called. */
export type IntervalClock = (flush: () => void) => () => void;

/** Intervals of `intervalMs` on this thread's own timer. */
export const timerClock =
  (intervalMs: number): IntervalClock =>
  (flush) => {
    const timer = setInterval(flush, intervalMs);
    return () => clearInterval(timer);
  };
