import type { Histogram } from 'hdr-histogram-js';
import type { GeneratorFigures, LoadInterval } from '../store/records.js';
import { EndpointFigures } from './endpoint-figures.js';
import { GeneratorMonitor } from './generator.js';
import { encodeRecorded, latencyHistogram, recordedSummary as latencySummary, recordAtLeast, recordLatency } from '../core/hdr.js';
import { timerClock, type IntervalClock } from './clock.js';
import type { BacklogFields } from './types.js';

/** What the driver knows at the end of an interval; `spanMs` is the interval's length, for figures averaged over it. */
export interface Gauges {
  phase: string;
  inflight: number;
  queued: number;
  offeredRate?: number;
  connections?: number;
  sockets?: number;
}

export interface IntervalRecorderOptions {
  stream: string;
  driver: string;
  intervalMs: number;
  onInterval(record: LoadInterval & BacklogFields): void;
  gauges(spanMs: number): Gauges;
  /** The endpoint name of each request spec; with more than one spec, intervals carry figures per endpoint. */
  endpoints?: readonly string[];
  /** When intervals end: by default every intervalMs. */
  clock?: IntervalClock;
  /** The stream's timeout, ms: a timed-out request enters the latency histogram at it, counted as censored. */
  timeoutMs?: number;
}

/**
 * Counts one load stream's outcomes and latencies and emits them as a LoadInterval every intervalMs.
 * One histogram, reset after each interval, and a handful of counters: memory does not grow with the run.
 *
 * `completed` counts responses of any status; `errors` counts 5xx responses and requests that got no
 * response; `timeouts` is apart from both. A timeout enters the histogram at the timeout and counts as
 * `censored` (its latency was at least that), so the histogram's count is completed + censored and a
 * stall longer than the timeout shows in p99 and max rather than only in the error rate. `sent` counts every
 * arrival that left the schedule, including those given up on before reaching the wire, so that
 * (errors + timeouts) / sent stays a rate.
 */
export class IntervalRecorder {
  private readonly histogram = latencyHistogram();
  /** Open model: how late arrivals left soak, for soak's own reasons. */
  private readonly sendLag = latencyHistogram();
  private readonly monitor = new GeneratorMonitor();
  private counts = { scheduled: 0, sent: 0, late: 0, completed: 0, errors: 0, timeouts: 0, censored: 0 };
  private outcomes: Record<string, number> = {};
  private startedAt = Date.now();
  private stopClock: (() => void) | undefined;
  private stopped = false;
  /** A single-request stream's one endpoint is the stream itself: nothing to split. */
  private readonly endpoints: EndpointFigures | undefined;

  constructor(private readonly options: IntervalRecorderOptions) {
    this.endpoints = (options.endpoints?.length ?? 0) > 1 ? new EndpointFigures(options.endpoints!) : undefined;
  }

  start(): void {
    this.startedAt = Date.now();
    this.stopClock = (this.options.clock ?? timerClock(this.options.intervalMs))(() => this.flush());
  }

  scheduled(): void {
    this.counts.scheduled += 1;
  }

  /** `late`: the arrival waited for a free slot before it could be sent. `spec`: the request spec it was made from, once one was picked. */
  sent(late: boolean, spec?: number): void {
    this.counts.sent += 1;
    if (late) this.counts.late += 1;
    if (spec !== undefined) this.endpoints?.sent(spec);
  }

  /** An arrival left soak `lagMs` after its intended time without having waited for a slot. */
  lagged(lagMs: number): void {
    recordLatency(this.sendLag, lagMs);
  }

  /** A response; latency from the intended send time, in ms. */
  completed(outcome: string, latencyMs: number, isError: boolean, spec?: number): void {
    if (this.stopped) return;
    this.counts.completed += 1;
    if (isError) this.counts.errors += 1;
    this.count(outcome);
    recordLatency(this.histogram, latencyMs);
    if (spec !== undefined) this.endpoints?.completed(spec, latencyMs, isError);
  }

  /** A request that got no response: refused, reset, given up on in the backlog. */
  failed(outcome: string, spec?: number): void {
    if (this.stopped) return;
    this.counts.errors += 1;
    this.count(outcome);
    if (spec !== undefined) this.endpoints?.failed(spec);
  }

  timedOut(spec?: number): void {
    if (this.stopped) return;
    this.counts.timeouts += 1;
    this.count('timeout');
    const timeoutMs = this.options.timeoutMs;
    if (timeoutMs !== undefined) {
      this.counts.censored += 1;
      recordAtLeast(this.histogram, timeoutMs);
    }
    if (spec !== undefined) this.endpoints?.timedOut(spec, timeoutMs);
  }

  /** Emits the last, partial interval and frees the histogram; later records are ignored. */
  stop(): void {
    if (this.stopped) return;
    this.stopClock?.();
    this.flush();
    this.stopped = true;
    this.monitor.stop();
    this.histogram.destroy();
    this.sendLag.destroy();
    this.endpoints?.destroy();
  }

  private count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }

  private flush(): void {
    const now = Date.now();
    const span = now - this.startedAt;
    const { phase, inflight, queued, offeredRate, connections, sockets } = this.options.gauges(span);
    this.options.onInterval({
      t: now,
      span,
      stream: this.options.stream,
      driver: this.options.driver,
      phase,
      scheduled: this.counts.scheduled,
      sent: this.counts.sent,
      completed: this.counts.completed,
      errors: this.counts.errors,
      timeouts: this.counts.timeouts,
      censored: this.counts.censored,
      outcomes: this.outcomes,
      latency: latencySummary(this.histogram),
      hdr: encodeRecorded(this.histogram),
      inflight,
      ...(offeredRate !== undefined ? { offeredRate } : {}),
      ...(connections !== undefined ? { connections } : {}),
      ...(sockets !== undefined ? { sockets } : {}),
      late: this.counts.late,
      queued,
      ...(this.endpoints ? { endpoints: this.endpoints.flush() } : {}),
      generator: { threads: 1, ...this.monitor.sample(), ...(this.sendLag.totalCount > 0 ? { sendLag: lagSummary(this.sendLag) } : {}) },
    });
    this.startedAt = now;
    this.counts = { scheduled: 0, sent: 0, late: 0, completed: 0, errors: 0, timeouts: 0, censored: 0 };
    this.outcomes = {};
    this.histogram.reset();
    this.sendLag.reset();
  }
}

function lagSummary(histogram: Histogram): NonNullable<GeneratorFigures['sendLag']> {
  const { count, p99, max } = latencySummary(histogram);
  return { count, p99, max, hdr: encodeRecorded(histogram) };
}
