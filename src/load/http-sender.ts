import type { Connection } from './http1/connection.js';
import { ConnectionPool, originOf, type PoolEvents } from './http1/pool.js';
import type { IntervalRecorder } from './recorder.js';
import type { RequestPlan } from './request-plan.js';

/** Runs once a request is settled; `answered` is false when no response came. */
export type Settled = (answered: boolean) => void;

/** Outcome names by status class, made once rather than per response. */
const statusClasses = Array.from({ length: 10 }, (_, digit) => `${digit}xx`);

/**
 * Sends requests over a pool of keep-alive connections and records how each ended. Latency runs
 * from the request's intended send time to the end of its response body, and so does its timeout.
 * A request is its connection's fields and the settled callback of the model that sent it: nothing
 * is allocated per request but what a template with placeholders builds.
 */
export class HttpSender implements PoolEvents {
  inflight = 0;
  /** Requests in flight by the spec they came from, so those cut off at the end time out under their endpoint. */
  private readonly inflightBySpec: number[] = [];
  private readonly pool: ConnectionPool;
  private closed = false;

  constructor(
    baseUrl: string,
    private readonly plan: RequestPlan,
    private readonly recorder: IntervalRecorder,
    private readonly timeoutMs: number,
  ) {
    this.pool = new ConnectionPool(originOf(baseUrl), timeoutMs, this);
  }

  /** Connections open, idle or busy. */
  get connections(): number {
    return this.pool.size;
  }

  /** `intendedAt` is a performance.now() time; `late`: the request waited for a free slot. */
  send(intendedAt: number, late: boolean, settled: Settled): void {
    if (this.closed) return;
    const plan = this.plan;
    plan.next();
    const spec = plan.spec;
    this.recorder.sent(late, spec);
    this.inflight += 1;
    this.inflightBySpec[spec] = (this.inflightBySpec[spec] ?? 0) + 1;
    const connection = this.pool.acquire();
    connection.spec = spec;
    connection.intendedAt = intendedAt;
    connection.deadline = intendedAt + this.timeoutMs;
    connection.tag = settled;
    connection.send(plan.bytes, plan.head);
  }

  /** Records every request still in flight as timed out; the caller stops the sender next. */
  timeOutInflight(): void {
    this.inflightBySpec.forEach((count, spec) => {
      for (let i = 0; i < count; i++) this.recorder.timedOut(spec);
    });
  }

  /**
   * Closes the connections, `perSecond` at a time until `stop` aborts (see ConnectionPool.closePaced);
   * later outcomes are ignored: what was cut off by stopping is neither a success nor a failure.
   */
  async close(perSecond: number, stop: AbortSignal): Promise<void> {
    this.closed = true;
    await this.pool.closePaced(perSecond, stop);
  }

  answered(connection: Connection, status: number): void {
    // Read before settling: the callback may already reuse the connection for the next request.
    const { spec, intendedAt } = connection;
    const settled = connection.tag as Settled;
    this.settle(spec);
    if (this.closed) return;
    const latencyMs = performance.now() - intendedAt;
    // The deadline sweep runs every timeout/10: a response that ended past the deadline before it came round has timed out all the same.
    if (latencyMs > this.timeoutMs) {
      this.recorder.timedOut(spec);
      settled(false);
      return;
    }
    this.recorder.completed(statusClasses[Math.floor(status / 100)]!, latencyMs, status >= 500, spec);
    settled(true);
  }

  failed(connection: Connection, outcome: string): void {
    const spec = connection.spec;
    this.settle(spec);
    if (this.closed) return;
    this.recorder.failed(outcome, spec);
    (connection.tag as Settled)(false);
  }

  timedOut(connection: Connection): void {
    const spec = connection.spec;
    this.settle(spec);
    if (this.closed) return;
    this.recorder.timedOut(spec);
    (connection.tag as Settled)(false);
  }

  private settle(spec: number): void {
    this.inflight -= 1;
    this.inflightBySpec[spec]! -= 1;
  }
}
