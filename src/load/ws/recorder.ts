import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary, LoadInterval } from '../../store/records.js';

const toMs = (microseconds: number) => Math.round(microseconds) / 1000;

function summary(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    count: histogram.totalCount,
    mean: toMs(histogram.mean),
    p50: toMs(histogram.getValueAtPercentile(50)),
    p90: toMs(histogram.getValueAtPercentile(90)),
    p99: toMs(histogram.getValueAtPercentile(99)),
    max: toMs(histogram.maxValue),
  };
}

/** Counts of one interval of a WebSocket stream; `flush` turns them into a LoadInterval and starts the next. */
export class WsRecorder {
  private scheduled = 0;
  private sent = 0;
  private completed = 0;
  private errors = 0;
  private timeouts = 0;
  private opened = 0;
  private closed = 0;
  private outcomes: Record<string, number> = {};
  /** Microseconds, like every soak latency histogram, so intervals merge exactly. */
  private readonly latency = build();
  private readonly connect = build();
  private startedAt = Date.now();

  constructor(
    private readonly stream: string,
    /** No reply expected: a message counts as completed once sent. */
    private readonly sentIsCompleted: boolean,
  ) {}

  messageScheduled(): void {
    this.scheduled += 1;
  }

  messageSent(): void {
    this.sent += 1;
    if (!this.sentIsCompleted) return;
    this.completed += 1;
    this.count('sent');
  }

  reply(latencyMs: number): void {
    this.completed += 1;
    this.count('reply');
    this.latency.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  replyTimedOut(): void {
    this.timeouts += 1;
    this.count('timeout');
  }

  connectionOpened(connectMs: number): void {
    this.opened += 1;
    this.connect.recordValue(Math.max(1, Math.round(connectMs * 1000)));
  }

  connectionClosed(): void {
    this.closed += 1;
  }

  /** A failed connect, an unexpected close, a send that could not be buffered. */
  error(outcome: string): void {
    this.errors += 1;
    this.count(outcome);
  }

  private count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }

  flush(phase: string, state: { open: number; inflight: number }): LoadInterval {
    const now = Date.now();
    const record: LoadInterval = {
      t: now,
      span: now - this.startedAt,
      stream: this.stream,
      driver: 'ws',
      phase,
      scheduled: this.scheduled,
      sent: this.sent,
      completed: this.completed,
      errors: this.errors,
      timeouts: this.timeouts,
      outcomes: this.outcomes,
      latency: summary(this.latency),
      hdr: encodeIntoCompressedBase64(this.latency),
      inflight: state.inflight,
      connections: state.open,
      ws: { open: state.open, opened: this.opened, closed: this.closed, connectP99: summary(this.connect).p99 },
    };
    this.startedAt = now;
    this.scheduled = this.sent = this.completed = this.errors = this.timeouts = this.opened = this.closed = 0;
    this.outcomes = {};
    this.latency.reset();
    this.connect.reset();
    return record;
  }

  destroy(): void {
    this.latency.destroy();
    this.connect.destroy();
  }
}
