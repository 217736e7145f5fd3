import { LatencyCounts, type LatencyMs, type SlotCounts } from '../../core/hdr.js';
import type { EndpointInterval, LoadInterval } from '../../store/records.js';
import { LoadBuckets } from './buckets.js';
import { addInterval, addSums, type LoadSums } from './figures.js';

/** An endpoint's share as an interval (it keeps no outcomes), filled in place: shares are added per record. */
const SHARE: Parameters<typeof addInterval>[1] = { t: 0, span: 0, sent: 0, completed: 0, errors: 0, timeouts: 0, outcomes: Object.freeze({}) };

/** Sums of a stretch of load intervals (or of one endpoint's share of them) and their merged latency. */
export class LoadTally implements LoadSums {
  intervals = 0;
  scheduled = 0;
  sent = 0;
  completed = 0;
  errors = 0;
  timeouts = 0;
  censored = 0;
  ended = 0;
  served = 0;
  spanMs = 0;
  /** The earliest moment covered (the first interval's start), the first interval's end and the last's. */
  from = Infinity;
  firstT = Infinity;
  t = -Infinity;
  outcomes: Record<string, number> = {};
  protected readonly own = new LatencyCounts();

  get latency(): LatencyCounts {
    return this.own;
  }

  add(interval: Parameters<typeof addInterval>[1], slots: SlotCounts | undefined): void {
    addInterval(this, interval);
    if (interval.t < this.firstT) this.firstT = interval.t;
    this.own.add(slots);
  }

  /**
   * One endpoint's share of an interval: its counts, no outcomes of its own. Without them what ended
   * cannot be told exactly (a 5xx response counts in both completed and errors, a refused request in
   * errors only), so its requests are those sent, or when more surely ended (after a stall) those: its
   * responses or its errors, whichever are more, and its timeouts.
   */
  addShare(share: Pick<EndpointInterval, 'sent' | 'completed' | 'errors' | 'timeouts' | 'censored'>, interval: Pick<LoadInterval, 't' | 'span'>, slots: SlotCounts | undefined): void {
    SHARE.t = interval.t;
    SHARE.span = interval.span;
    SHARE.sent = share.sent;
    SHARE.completed = share.completed;
    SHARE.errors = share.errors;
    SHARE.timeouts = share.timeouts;
    SHARE.ended = Math.max(share.sent, Math.max(share.completed, share.errors) + share.timeouts);
    SHARE.censored = share.censored ?? 0;
    this.add(SHARE, slots);
  }

  addTally(other: LoadTally): void {
    addSums(this, other);
    this.firstT = Math.min(this.firstT, other.firstT);
    this.latency.addCounts(other.latency);
  }

  summary(): LatencyMs {
    return this.latency.summary();
  }

  static of(parts: Iterable<LoadTally>): LoadTally {
    const total = new LoadTally();
    for (const part of parts) total.addTally(part);
    return total;
  }
}

/**
 * A stream's tally in one phase, with its buckets over time. Its latency is its buckets': each
 * bucket's histogram is added as the bucket closes, and the open one is read with it, so the slots of
 * an interval are added once, not once for the buckets and again for the whole.
 */
export class BucketedTally extends LoadTally {
  readonly buckets: LoadBuckets;
  private combined: LatencyCounts | undefined;
  private combinedAt = -1;

  constructor(origin: number, width: number) {
    super();
    this.buckets = new LoadBuckets(origin, width, this.own);
  }

  override get latency(): LatencyCounts {
    const open = this.buckets.openLatency();
    if (open.total === 0) return this.own;
    if (this.combinedAt !== this.buckets.added) {
      this.combined ??= new LatencyCounts();
      this.combined.reset();
      this.combined.addCounts(this.own);
      this.combined.addCounts(open);
      this.combinedAt = this.buckets.added;
    }
    return this.combined!;
  }

  override add(interval: LoadInterval, slots: SlotCounts | undefined): void {
    addInterval(this, interval);
    if (interval.t < this.firstT) this.firstT = interval.t;
    this.buckets.add(interval, slots);
  }
}
