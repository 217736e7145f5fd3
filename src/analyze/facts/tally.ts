import { LatencyCounts, type LatencyMs, type SlotCounts } from '../../core/hdr.js';
import type { EndpointInterval, LoadInterval } from '../../store/records.js';
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
  ended = 0;
  served = 0;
  spanMs = 0;
  /** The earliest moment covered (the first interval's start), the first interval's end and the last's. */
  from = Infinity;
  firstT = Infinity;
  t = -Infinity;
  outcomes: Record<string, number> = {};
  readonly latency = new LatencyCounts();

  add(interval: Parameters<typeof addInterval>[1], slots: SlotCounts | undefined): void {
    addInterval(this, interval);
    if (interval.t < this.firstT) this.firstT = interval.t;
    this.latency.add(slots);
  }

  /** One endpoint's share of an interval: its counts, no outcomes of its own (ended stays 0). */
  addShare(share: Pick<EndpointInterval, 'sent' | 'completed' | 'errors' | 'timeouts'>, interval: Pick<LoadInterval, 't' | 'span'>, slots: SlotCounts | undefined): void {
    SHARE.t = interval.t;
    SHARE.span = interval.span;
    SHARE.sent = share.sent;
    SHARE.completed = share.completed;
    SHARE.errors = share.errors;
    SHARE.timeouts = share.timeouts;
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
