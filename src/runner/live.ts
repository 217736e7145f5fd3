import { failedOf } from '../analyze/index.js';
import type { LoadInterval, NodeProbeSample, OsProbeSample, RunEvent } from '../store/records.js';

/** What the progress line shows; O(1) state however long the run. */
export interface LiveStatus {
  elapsedMs: number;
  plannedMs: number;
  rps: number;
  p99Ms: number | undefined;
  requests: number;
  errors: number;
  heapUsed: number | undefined;
  rss: number | undefined;
  eventLoopMaxMs: number | undefined;
  /** Short labels of problems seen so far (crashes, blocked loop...). */
  alerts: string[];
}

/** Folds the run's records into the last values and running totals: nothing grows with run length. */
export class LiveTracker {
  private readonly startedAt = Date.now();
  private latest = new Map<string, LoadInterval>();
  private requests = 0;
  private errors = 0;
  private heapUsed?: number;
  private rss?: number;
  private eventLoopMaxMs?: number;
  private blockedIntervals = 0;
  private crashes = 0;

  constructor(private readonly plannedMs: number) {}

  onLoad(interval: LoadInterval): void {
    this.latest.set(interval.stream, interval);
    this.requests += interval.sent;
    this.errors += failedOf(interval);
  }

  onProbe(sample: NodeProbeSample | OsProbeSample): void {
    if (sample.source === 'node') {
      this.heapUsed = sample.memory.heapUsed;
      this.rss = sample.memory.rss;
      this.eventLoopMaxMs = sample.eventLoop.max;
      if (sample.eventLoop.max >= 100) this.blockedIntervals += 1;
    } else if (this.heapUsed === undefined) {
      this.rss = sample.rss;
    }
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'service-exit' && !event.expected) this.crashes += 1;
  }

  status(): LiveStatus {
    const intervals = [...this.latest.values()];
    const rps = intervals.reduce((sum, interval) => sum + (interval.completed * 1000) / Math.max(interval.span, 1), 0);
    const p99s = intervals.filter((interval) => interval.latency.count > 0).map((interval) => interval.latency.p99);
    const alerts: string[] = [];
    if (this.crashes > 0) alerts.push(`${this.crashes} crash${this.crashes > 1 ? 'es' : ''}`);
    if (this.blockedIntervals > 0) alerts.push(`loop blocked ${this.blockedIntervals}s`);
    return {
      elapsedMs: Date.now() - this.startedAt,
      plannedMs: this.plannedMs,
      rps,
      p99Ms: p99s.length > 0 ? Math.max(...p99s) : undefined,
      requests: this.requests,
      errors: this.errors,
      heapUsed: this.heapUsed,
      rss: this.rss,
      eventLoopMaxMs: this.eventLoopMaxMs,
      alerts,
    };
  }
}
