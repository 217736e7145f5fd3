import { decodeSlots, LatencyCounts, NO_LATENCY, type LatencyMs, type SlotCounts } from '../../core/hdr.js';
import type { LoadInterval } from '../../store/records.js';
import { addInterval, addSums, emptySums, type LoadSums } from './figures.js';

/**
 * A load stream's phase over time in bounded memory: its intervals summed into buckets on a fixed
 * grid from the run's start. The bucket width is the recording interval doubled until the planned
 * run fits in MAX_LOAD_BUCKETS (1 s up to 34 minutes, 16 s for 8 hours, 128 s for 72 hours), and
 * doubled again, adjacent buckets merged, if the run outlives its plan. A closed bucket keeps its
 * figures and its histogram encoded as the records keep them (about a kilobyte), so buckets can be
 * merged again exactly (a comparison's buckets, a compaction).
 */
export const MAX_LOAD_BUCKETS = 2048;

export interface LoadBucket extends LoadSums {
  /** Grid index: the bucket covers [origin + index * width, origin + (index + 1) * width). */
  index: number;
  /** The mean of its intervals' midpoints. */
  mid: number;
  /** Mean offered rate (open model) over the intervals that had one. */
  offeredRate?: number;
  /** soak's own send lag: the highest p99 of its intervals' (ms), when they recorded one. */
  sendLagP99?: number;
  latency: LatencyMs;
  /** The bucket's histogram, compressed base64; '' when nothing completed. */
  hdr: string;
}

interface OpenBucket {
  bucket: LoadBucket;
  /** Its summary while no interval has been added since. */
  summary?: LoadBucket;
  midSum: number;
  offeredSum: number;
  offeredCount: number;
  latency: LatencyCounts;
}

export function bucketWidthFor(plannedMs: number, intervalMs: number): number {
  let width = intervalMs;
  while (plannedMs / width > MAX_LOAD_BUCKETS) width *= 2;
  return width;
}

const emptyBucket = (index: number): LoadBucket => ({ ...emptySums(), index, mid: 0, latency: NO_LATENCY, hdr: '' });

export class LoadBuckets {
  readonly closed: LoadBucket[] = [];
  private open: OpenBucket | undefined;
  /** The open bucket's histogram, emptied and reused for the next one. */
  private readonly latency = new LatencyCounts();

  constructor(
    private readonly origin: number,
    public width: number,
  ) {}

  add(interval: LoadInterval, slots: SlotCounts | undefined): void {
    const mid = interval.t - interval.span / 2;
    const index = Math.floor((mid - this.origin) / this.width);
    if (this.open && this.open.bucket.index !== index) this.close();
    if (!this.open) {
      this.latency.reset();
      this.open = { bucket: emptyBucket(index), midSum: 0, offeredSum: 0, offeredCount: 0, latency: this.latency };
    }
    const { bucket } = this.open;
    this.open.summary = undefined;
    addInterval(bucket, interval);
    this.open.midSum += mid;
    const lag = interval.generator?.sendLag?.p99;
    if (lag !== undefined) bucket.sendLagP99 = Math.max(bucket.sendLagP99 ?? 0, lag);
    if (interval.offeredRate !== undefined) {
      this.open.offeredSum += interval.offeredRate;
      this.open.offeredCount += 1;
    }
    this.open.latency.add(slots);
  }

  /** Every bucket, the open one included (summarised, not closed). */
  all(): LoadBucket[] {
    if (!this.open) return this.closed;
    this.open.summary ??= this.summarise(this.open);
    return [...this.closed, this.open.summary];
  }

  private summarise(open: OpenBucket): LoadBucket {
    const { bucket } = open;
    return {
      ...bucket,
      mid: open.midSum / bucket.intervals,
      ...(open.offeredCount > 0 ? { offeredRate: open.offeredSum / open.offeredCount } : {}),
      latency: open.latency.summary(),
      hdr: open.latency.total > 0 ? open.latency.encode() : '',
    };
  }

  private close(): void {
    if (!this.open) return;
    this.closed.push(this.summarise(this.open));
    this.open = undefined;
    if (this.closed.length > MAX_LOAD_BUCKETS) this.compact();
  }

  /** Doubles the width: buckets that now share a grid index merge, histograms summed exactly. */
  private compact(): void {
    this.width *= 2;
    const merged: LoadBucket[] = [];
    for (const bucket of this.closed) {
      const index = Math.floor(bucket.index / 2);
      const last = merged.at(-1);
      if (last && last.index === index) merged[merged.length - 1] = mergeBuckets(last, bucket, index);
      else merged.push({ ...bucket, index });
    }
    this.closed.length = 0;
    this.closed.push(...merged);
  }
}

/** Two buckets as one: counts summed, midpoints weighted by intervals, histograms merged exactly. */
export function mergeBuckets(a: LoadBucket, b: LoadBucket, index = a.index): LoadBucket {
  const merged = emptyBucket(index);
  addSums(merged, a);
  addSums(merged, b);
  merged.mid = (a.mid * a.intervals + b.mid * b.intervals) / (a.intervals + b.intervals);
  const offered = [a, b].filter((bucket) => bucket.offeredRate !== undefined);
  if (offered.length > 0) merged.offeredRate = offered.reduce((sum, bucket) => sum + bucket.offeredRate!, 0) / offered.length;
  const lags = [a, b].flatMap((bucket) => (bucket.sendLagP99 === undefined ? [] : [bucket.sendLagP99]));
  if (lags.length > 0) merged.sendLagP99 = Math.max(...lags);
  const latency = new LatencyCounts();
  latency.add(decodeSlots(a.hdr));
  latency.add(decodeSlots(b.hdr));
  merged.latency = latency.summary();
  merged.hdr = latency.total > 0 ? latency.encode() : '';
  return merged;
}
