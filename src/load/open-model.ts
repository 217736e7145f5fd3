import { MAX_RATE_PER_STREAM } from '../core/limits.js';
import type { HttpSender } from './http-sender.js';
import type { IntervalRecorder } from './recorder.js';

/** Arrivals waiting for a slot, at most, by default: one second of the highest rate a stream may ask for (800 KB of intended times); beyond it they fail as "backlog". */
const BACKLOG_CAPACITY = MAX_RATE_PER_STREAM;

/**
 * The open model's arrivals: each is sent at its intended time while fewer than maxInflight
 * requests are in flight; past the cap it waits in a FIFO and is sent late as slots free up, its
 * latency still counted from its intended time. An arrival that waits longer than the timeout has
 * timed out without being sent; one that finds the FIFO full fails as "backlog".
 */
export class OpenArrivals {
  private readonly waiting: Float64Array;
  private head = 0;
  private size = 0;
  private readonly onSettled = () => this.release();

  constructor(
    private readonly sender: HttpSender,
    private readonly recorder: IntervalRecorder,
    private readonly maxInflight: number,
    private readonly timeoutMs: number,
    private readonly capacity = BACKLOG_CAPACITY,
  ) {
    this.waiting = new Float64Array(capacity);
  }

  get queued(): number {
    return this.size;
  }

  /** An arrival due at `intendedAt` (performance.now() ms). */
  arrive(intendedAt: number): void {
    this.recorder.scheduled();
    if (this.size === 0 && this.sender.inflight < this.maxInflight) {
      this.recorder.lagged(performance.now() - intendedAt);
      this.sender.send(intendedAt, false, this.onSettled);
    } else if (this.size < this.capacity) {
      this.waiting[(this.head + this.size) % this.capacity] = intendedAt;
      this.size += 1;
    } else {
      this.recorder.sent(false);
      this.recorder.failed('backlog');
    }
  }

  /** When (performance.now() ms) the oldest waiting arrival times out; Infinity with none waiting. */
  nextExpiry(): number {
    return this.size === 0 ? Infinity : this.waiting[this.head]! + this.timeoutMs;
  }

  /** Times out the waiting arrivals whose timeout has passed; called on every scheduler tick, so a stalled target still sees them expire. */
  expire(now: number): void {
    while (this.size > 0 && now - this.waiting[this.head]! >= this.timeoutMs) {
      this.shift();
      this.recorder.sent(false);
      this.recorder.timedOut();
    }
  }

  private release(): void {
    this.expire(performance.now());
    while (this.size > 0 && this.sender.inflight < this.maxInflight) this.sender.send(this.shift(), true, this.onSettled);
  }

  private shift(): number {
    const intendedAt = this.waiting[this.head]!;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    return intendedAt;
  }
}
