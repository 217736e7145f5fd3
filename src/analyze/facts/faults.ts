import { decodeSlots, LatencyCounts, type SlotCounts } from '../../core/hdr.js';
import type { LoadInterval } from '../../store/records.js';
import { countsOf, errorRateOf, perSecond, throughputOf, type LoadCounts } from './figures.js';
import { effectiveEnd, type FaultSpan } from './spans.js';

/** How much load before a fault serves as its baseline. */
export const BASELINE_MS = 30_000;
/** Recovered means served throughput at least this share of the baseline... */
export const RECOVERY_THROUGHPUT_SHARE = 0.9;
/** ...and p99 at most this multiple of it (plus a little slack, so a 1 ms baseline does not demand 1.5 ms)... */
export const RECOVERY_P99_FACTOR = 1.5;
export const RECOVERY_P99_SLACK_MS = 5;
/** ...for this many intervals in a row. */
export const RECOVERY_INTERVALS = 3;

/** The middle of the time an interval covers (`t` is when the interval closed). */
export const midpoint = (interval: Pick<LoadInterval, 't' | 'span'>): number => interval.t - interval.span / 2;

/** Load figures over a stretch of intervals. p99 in ms, merged from the interval histograms; null when nothing completed. */
export interface LoadFigures {
  intervals: number;
  sent: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Failed share of the stretch's requests (errorRateOf). */
  errorRate: number;
  /** Served (non-5xx) responses per second. */
  throughput: number;
  p99: number | null;
}

/** A stretch of one stream's intervals, summed. */
class Stretch {
  intervals = 0;
  counts: LoadCounts = { sent: 0, completed: 0, errors: 0, timeouts: 0, ended: 0, served: 0 };
  spanMs = 0;
  readonly latency = new LatencyCounts();

  add(interval: LoadInterval, slots: SlotCounts | undefined): void {
    const counts = countsOf(interval);
    this.intervals += 1;
    for (const key of Object.keys(counts) as (keyof LoadCounts)[]) this.counts[key] += counts[key];
    this.spanMs += interval.span;
    this.latency.add(slots);
  }
}

export function figuresOf(stretches: ReadonlyMap<string, Stretch>): LoadFigures {
  const total = new Stretch();
  for (const stretch of stretches.values()) {
    total.intervals += stretch.intervals;
    for (const key of Object.keys(stretch.counts) as (keyof LoadCounts)[]) total.counts[key] += stretch.counts[key];
    total.latency.addCounts(stretch.latency);
  }
  return {
    intervals: total.intervals,
    sent: total.counts.sent,
    completed: total.counts.completed,
    errors: total.counts.errors,
    timeouts: total.counts.timeouts,
    errorRate: errorRateOf(total.counts) ?? 0,
    throughput: throughputOf([...stretches].map(([stream, stretch]) => ({ stream, count: stretch.counts.served, spanMs: stretch.spanMs }))),
    p99: total.latency.summary().p99,
  };
}

export type StreamRecovery =
  | { stream: string; recovered: true; recoveryMs: number; at: number }
  | { stream: string; recovered: false; watchedMs: number }
  | { stream: string; recovered: 'no-baseline' };

interface Watch {
  baseline: LoadFigures | undefined;
  streak: number;
  recovered?: { recoveryMs: number; at: number };
  /** Intervals of the streak so far: the first one's start is when it recovered. */
  streakStart?: number;
}

/** What the load did around one fault: the 30 s before it, while it acted, and after it ended. */
export class FaultLoad {
  readonly baseline = new Map<string, Stretch>();
  readonly during = new Map<string, Stretch>();
  private readonly baselineTaken = new Set<string>();
  readonly watches = new Map<string, Watch>();
  /** The fault that began next after this one ended, which cuts the watch of its recovery short. */
  cutBy: FaultSpan | undefined;

  constructor(readonly span: FaultSpan) {}

  /**
   * The 30 s before the fault (of one stream, or all): as taken when the stream's first interval after
   * the fault's start arrived, or, for a stream that has none yet, from its latest intervals.
   */
  baselineFigures(recent: ReadonlyMap<string, readonly RecentInterval[]>, stream?: string): LoadFigures | undefined {
    const stretches = new Map<string, Stretch>();
    const names = new Set([...this.baseline.keys(), ...recent.keys()]);
    for (const name of names) {
      if (stream !== undefined && name !== stream) continue;
      const stretch = this.baselineTaken.has(name) ? this.baseline.get(name) : this.stretchBefore(recent.get(name) ?? []);
      if (stretch && stretch.intervals > 0) stretches.set(name, stretch);
    }
    return stretches.size > 0 ? figuresOf(stretches) : undefined;
  }

  private stretchBefore(recent: readonly RecentInterval[]): Stretch {
    const { span } = this;
    const stretch = new Stretch();
    for (const earlier of recent) {
      if (earlier.mid >= span.start - BASELINE_MS && earlier.mid < span.start && !earlier.inOtherFault(span)) stretch.add(earlier.interval, decodeSlots(earlier.interval.hdr));
    }
    return stretch;
  }

  duringFigures(stream?: string): LoadFigures {
    return figuresOf(stream === undefined ? this.during : new Map([...this.during].filter(([name]) => name === stream)));
  }

  /** An interval of a stream at or after the fault's start; `recent` holds the stream's last 30 s before it. */
  add(interval: LoadInterval, slots: SlotCounts | undefined, recent: readonly RecentInterval[], cut: number | undefined): void {
    const mid = midpoint(interval);
    const { span } = this;
    if (!this.baselineTaken.has(interval.stream)) {
      this.baselineTaken.add(interval.stream);
      const stretch = this.stretchBefore(recent);
      if (stretch.intervals > 0) this.baseline.set(interval.stream, stretch);
    }
    if (span.end === null || mid < span.end) {
      let stretch = this.during.get(interval.stream);
      if (!stretch) this.during.set(interval.stream, (stretch = new Stretch()));
      stretch.add(interval, slots);
      return;
    }
    if (cut !== undefined && mid >= cut) return;
    this.watch(interval);
  }

  /** Back near the baseline: served throughput, and p99 when both have one. */
  private watch(interval: LoadInterval): void {
    let watch = this.watches.get(interval.stream);
    if (!watch) {
      const taken = this.baseline.get(interval.stream);
      watch = { baseline: taken ? figuresOf(new Map([[interval.stream, taken]])) : undefined, streak: 0 };
      this.watches.set(interval.stream, watch);
    }
    if (watch.recovered || !watch.baseline || watch.baseline.throughput === 0) return;
    const counts = countsOf(interval);
    const p99 = watch.baseline.p99;
    const back =
      perSecond(counts.served, interval.span) >= RECOVERY_THROUGHPUT_SHARE * watch.baseline.throughput &&
      (p99 === null || interval.latency.count === 0 || interval.latency.p99 <= Math.max(RECOVERY_P99_FACTOR * p99, p99 + RECOVERY_P99_SLACK_MS));
    if (!back) {
      watch.streak = 0;
      return;
    }
    if (watch.streak === 0) watch.streakStart = interval.t - interval.span;
    watch.streak += 1;
    if (watch.streak === RECOVERY_INTERVALS) watch.recovered = { at: watch.streakStart!, recoveryMs: Math.max(0, watch.streakStart! - this.span.end!) };
  }

  /** Each stream's recovery after the fault, watched until `watchEnd`. */
  recoveries(streams: Iterable<string>, watchEnd: number, recent: ReadonlyMap<string, readonly RecentInterval[]>): StreamRecovery[] {
    return [...streams].map((stream) => {
      const baseline = this.baselineFigures(recent, stream);
      if (!baseline || baseline.throughput === 0) return { stream, recovered: 'no-baseline' };
      const recovered = this.watches.get(stream)?.recovered;
      if (recovered) return { stream, recovered: true, ...recovered };
      return { stream, recovered: false, watchedMs: watchEnd - effectiveEnd(this.span, watchEnd) };
    });
  }
}

/** An interval kept for the baseline of a fault that may begin after it (decoded again if one does). */
export interface RecentInterval {
  interval: LoadInterval;
  mid: number;
  inOtherFault(span: FaultSpan): boolean;
}
