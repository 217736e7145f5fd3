import type { PoolSample } from '../store/records.js';
import type { PoolStats } from './api.cjs';

/** Enough to estimate a p99 well; the count and the max stay exact however busy the pool is. */
const WAIT_SAMPLE_SIZE = 2048;

/** One interval's acquire waits of one pool: a uniform sample (reservoir) keeps memory bounded under any load. */
class WaitWindow {
  private count = 0;
  private max = 0;
  private readonly sample: number[] = [];

  record(waitMs: number): void {
    this.count += 1;
    if (waitMs > this.max) this.max = waitMs;
    if (this.sample.length < WAIT_SAMPLE_SIZE) {
      this.sample.push(waitMs);
      return;
    }
    const slot = Math.floor(Math.random() * this.count);
    if (slot < WAIT_SAMPLE_SIZE) this.sample[slot] = waitMs;
  }

  /** The interval's figures, then starts the next interval. */
  drain(): Pick<PoolSample, 'acquires' | 'acquireWaitP99' | 'acquireWaitMax'> {
    if (this.count === 0) return { acquires: 0 };
    const sorted = this.sample.sort((a, b) => a - b);
    const p99 = sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)]!;
    const figures = { acquires: this.count, acquireWaitP99: roundMs(p99), acquireWaitMax: roundMs(this.max) };
    this.count = 0;
    this.max = 0;
    this.sample.length = 0;
    return figures;
  }
}

/** `stats` answers undefined once the pool is gone for good (collected or ended): it is then forgotten. */
export type PoolStatsSource = () => PoolStats | undefined;

interface PoolEntry {
  stats: PoolStatsSource;
  waits: WaitWindow;
}

export class PoolRegistry {
  private readonly pools = new Map<string, PoolEntry>();

  register(name: string, stats: PoolStatsSource): void {
    if (typeof name !== 'string' || typeof stats !== 'function') return;
    this.pools.set(name, { stats, waits: this.pools.get(name)?.waits ?? new WaitWindow() });
  }

  /** Waits of a pool that was never registered are ignored: there is no size to report them with. */
  recordAcquire(name: string, waitMs: number): void {
    if (typeof waitMs !== 'number' || !(waitMs >= 0)) return;
    this.pools.get(name)?.waits.record(waitMs);
  }

  /** One PoolSample per live pool, or undefined when there are none. */
  sample(): Record<string, PoolSample> | undefined {
    let samples: Record<string, PoolSample> | undefined;
    for (const [name, entry] of this.pools) {
      let stats: PoolStats | undefined;
      try {
        stats = entry.stats();
      } catch {
        // The target's own stats function failed: skip this interval, keep the pool.
        entry.waits.drain();
        continue;
      }
      if (!stats) {
        this.pools.delete(name);
        continue;
      }
      const sample: PoolSample = { total: stats.total, idle: stats.idle, waiting: stats.waiting, ...entry.waits.drain() };
      if (typeof stats.acquireTimeout === 'number' && stats.acquireTimeout > 0) sample.acquireTimeout = stats.acquireTimeout;
      (samples ??= {})[name] = sample;
    }
    return samples;
  }
}

export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
