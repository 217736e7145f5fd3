import { LatencyCounts, type LatencyMs, type SlotCounts } from '../../core/hdr.js';
import type { EndpointInterval, LoadInterval } from '../../store/records.js';
import { countsOf, type LoadCounts } from './figures.js';

/** Sums of a stretch of load intervals (or of one endpoint's share of them) and their merged latency. */
export class LoadTally implements LoadCounts {
  intervals = 0;
  scheduled = 0;
  sent = 0;
  completed = 0;
  errors = 0;
  timeouts = 0;
  ended = 0;
  served = 0;
  spanMs = 0;
  firstT = Infinity;
  lastT = -Infinity;
  /** The earliest moment covered: the first interval's start. */
  from = Infinity;
  outcomes: Record<string, number> = {};
  readonly latency = new LatencyCounts();

  add(interval: Pick<LoadInterval, 't' | 'span' | 'sent' | 'completed' | 'errors' | 'timeouts' | 'outcomes'> & { scheduled?: number }, slots: SlotCounts | undefined): void {
    const counts = countsOf(interval);
    this.intervals += 1;
    this.scheduled += interval.scheduled ?? 0;
    this.sent += counts.sent;
    this.completed += counts.completed;
    this.errors += counts.errors;
    this.timeouts += counts.timeouts;
    this.ended += counts.ended;
    this.served += counts.served;
    this.spanMs += interval.span;
    if (interval.t < this.firstT) this.firstT = interval.t;
    if (interval.t > this.lastT) this.lastT = interval.t;
    if (interval.t - interval.span < this.from) this.from = interval.t - interval.span;
    for (const [outcome, count] of Object.entries(interval.outcomes)) this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + count;
    this.latency.add(slots);
  }

  /** One endpoint's share of an interval: its counts, no outcomes of its own (ended stays 0). */
  addShare(share: Pick<EndpointInterval, 'sent' | 'completed' | 'errors' | 'timeouts'>, interval: Pick<LoadInterval, 't' | 'span'>, slots: SlotCounts | undefined): void {
    this.intervals += 1;
    this.sent += share.sent;
    this.completed += share.completed;
    this.errors += share.errors;
    this.timeouts += share.timeouts;
    this.served += share.completed;
    this.spanMs += interval.span;
    if (interval.t < this.firstT) this.firstT = interval.t;
    if (interval.t > this.lastT) this.lastT = interval.t;
    if (interval.t - interval.span < this.from) this.from = interval.t - interval.span;
    this.latency.add(slots);
  }

  addTally(other: LoadTally): void {
    this.intervals += other.intervals;
    this.scheduled += other.scheduled;
    this.sent += other.sent;
    this.completed += other.completed;
    this.errors += other.errors;
    this.timeouts += other.timeouts;
    this.ended += other.ended;
    this.served += other.served;
    this.spanMs += other.spanMs;
    this.firstT = Math.min(this.firstT, other.firstT);
    this.lastT = Math.max(this.lastT, other.lastT);
    this.from = Math.min(this.from, other.from);
    for (const [outcome, count] of Object.entries(other.outcomes)) this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + count;
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
