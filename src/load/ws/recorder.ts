import type { LoadInterval } from '../../store/records.js';
import { GeneratorMonitor } from '../generator.js';
import { encodeRecorded, latencyHistogram, recordedSummary as latencySummary, recordAtLeast, recordLatency } from '../../core/hdr.js';

/** Counts of one interval of a WebSocket stream; `flush` turns them into a LoadInterval and starts the next. */
export class WsRecorder {
  private scheduled = 0;
  private sent = 0;
  private completed = 0;
  private errors = 0;
  private timeouts = 0;
  private censored = 0;
  private opened = 0;
  private closed = 0;
  private outcomes: Record<string, number> = {};
  /** Microseconds, like every soak latency histogram, so intervals merge exactly. */
  private readonly latency = latencyHistogram();
  private readonly connect = latencyHistogram();
  private readonly monitor = new GeneratorMonitor();
  private startedAt = Date.now();

  constructor(
    private readonly stream: string,
    /** No reply expected: a message counts as completed once sent. */
    private readonly sentIsCompleted: boolean,
    /** A reply that did not come within it enters the latency histogram at it, counted as censored. */
    private readonly timeoutMs: number,
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
    recordLatency(this.latency, latencyMs);
  }

  replyTimedOut(): void {
    this.timeouts += 1;
    this.censored += 1;
    this.count('timeout');
    recordAtLeast(this.latency, this.timeoutMs);
  }

  connectionOpened(connectMs: number): void {
    this.opened += 1;
    recordLatency(this.connect, connectMs);
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
      censored: this.censored,
      outcomes: this.outcomes,
      latency: latencySummary(this.latency),
      hdr: encodeRecorded(this.latency),
      inflight: state.inflight,
      connections: state.open,
      ws: { open: state.open, opened: this.opened, closed: this.closed, connectP99: latencySummary(this.connect).p99, connectHdr: encodeRecorded(this.connect) },
      generator: { threads: 1, ...this.monitor.sample() },
    };
    this.startedAt = now;
    this.scheduled = this.sent = this.completed = this.errors = this.timeouts = this.censored = this.opened = this.closed = 0;
    this.outcomes = {};
    this.latency.reset();
    this.connect.reset();
    return record;
  }

  destroy(): void {
    this.monitor.stop();
    this.latency.destroy();
    this.connect.destroy();
  }
}
