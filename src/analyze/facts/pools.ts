import type { PoolSample } from '../../store/records.js';
import type { FaultSpan } from './spans.js';

/** An acquisition that waited 80 % of the pool's timeout was nearly an error. */
export const NEAR_TIMEOUT_SHARE = 0.8;

export interface PoolReading {
  t: number;
  pid: number;
  pool: PoolSample;
}

/**
 * One connection pool of a service, folded reading by reading into what the pool-exhaustion finding
 * needs: how often callers waited, the longest run of readings with a queue, the peak, and
 * acquisitions that came close to the timeout while no fault explained it.
 */
export class PoolFacts {
  samples = 0;
  samplesWaiting = 0;
  longest: { start: number; end: number; ms: number } | undefined;
  peak: PoolReading | undefined;
  acquireWaitP99: number | undefined;
  acquireWaitMax: number | undefined;
  acquireTimeout: number | undefined;
  nearTimeout = 0;
  firstNearTimeoutAt: number | undefined;
  private streakStart: PoolReading | undefined;
  private previous: PoolReading | undefined;

  constructor(private readonly sampleIntervalMs: number) {}

  add(reading: PoolReading, faults: readonly FaultSpan[]): void {
    const { pool } = reading;
    this.samples += 1;
    const continues = this.previous !== undefined && reading.pid === this.previous.pid && reading.t - this.previous.t <= 2 * this.sampleIntervalMs;
    if (pool.waiting > 0) {
      this.samplesWaiting += 1;
      if (!this.streakStart || !continues) this.streakStart = reading;
      // Each reading stands for the interval before it, so a run of k readings covers k intervals.
      const ms = reading.t - this.streakStart.t + this.sampleIntervalMs;
      if (!this.longest || ms > this.longest.ms) this.longest = { start: this.streakStart.t, end: reading.t, ms };
    } else {
      this.streakStart = undefined;
    }
    this.previous = reading;
    if (!this.peak || pool.waiting > this.peak.pool.waiting) this.peak = reading;
    this.acquireWaitP99 = maxOf(this.acquireWaitP99, pool.acquireWaitP99);
    this.acquireWaitMax = maxOf(this.acquireWaitMax, pool.acquireWaitMax);
    this.acquireTimeout = maxOf(this.acquireTimeout, pool.acquireTimeout);
    if (pool.acquireTimeout !== undefined && pool.acquireTimeout > 0 && (pool.acquireWaitMax ?? 0) >= NEAR_TIMEOUT_SHARE * pool.acquireTimeout && !this.overlapsFault(reading, faults)) {
      this.nearTimeout += 1;
      this.firstNearTimeoutAt ??= reading.t;
    }
  }

  /**
   * Whether the slowest acquisition of a reading may have begun while a fault acted. A dependency
   * frozen or cut by a fault makes acquisitions run into their timeout however well the pool is
   * used: that wait is the fault's effect (fault-impact reports it), not a pool that is too small
   * or leaking. A pool the fault drives into a lasting queue is still caught by the queue itself.
   */
  private overlapsFault(reading: PoolReading, faults: readonly FaultSpan[]): boolean {
    const began = reading.t - this.sampleIntervalMs - (reading.pool.acquireWaitMax ?? 0);
    return faults.some((span) => reading.t > span.start && (span.end === null || began < span.end));
  }
}

const maxOf = (top: number | undefined, value: number | undefined) => (value === undefined ? top : Math.max(top ?? value, value));
