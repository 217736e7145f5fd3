import type { Dispatcher } from 'undici';
import type { IntervalRecorder } from './recorder.js';
import type { PlannedRequest } from './request-plan.js';

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** A short name for a request that got no response: the system's code (ECONNREFUSED) or undici's, shortened. */
export function errorOutcome(error: Error & { code?: string }): string {
  const code = error.code;
  if (code === undefined) return 'error';
  if (/^E[A-Z]+$/.test(code)) return code;
  if (code === 'UND_ERR_SOCKET') return 'socket-closed';
  return code.replace(/^UND_ERR_/, '').toLowerCase().replaceAll('_', '-');
}

/** Runs once a request is settled; `answered` is false when no response came. */
export type Settled = (answered: boolean) => void;

/**
 * Sends requests through one undici pool and records how each ended. Latency runs from the
 * request's intended send time to the end of its response body, and so does its timeout.
 */
export class HttpSender {
  inflight = 0;
  /** Requests in flight by the spec they came from, so those cut off at the end time out under their endpoint. */
  private readonly inflightBySpec: number[] = [];
  private closed = false;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly nextRequest: () => PlannedRequest,
    private readonly recorder: IntervalRecorder,
    private readonly timeoutMs: number,
  ) {}

  /** `intendedAt` is a performance.now() time; `late`: the request waited for a free slot. */
  send(intendedAt: number, late: boolean, settled: Settled): void {
    if (this.closed) return;
    const remaining = Math.max(1, Math.ceil(this.timeoutMs - (performance.now() - intendedAt)));
    const { spec, ...request } = this.nextRequest();
    this.recorder.sent(late, spec);
    this.inflight += 1;
    this.inflightBySpec[spec] = (this.inflightBySpec[spec] ?? 0) + 1;
    this.dispatcher.dispatch({ ...request, headersTimeout: remaining, bodyTimeout: remaining }, new Exchange(this, spec, intendedAt, settled));
  }

  /** Records every request still in flight as timed out; the caller stops the sender next. */
  timeOutInflight(): void {
    this.inflightBySpec.forEach((count, spec) => {
      for (let i = 0; i < count; i++) this.recorder.timedOut(spec);
    });
  }

  /** Later outcomes are ignored: what was cut off by stopping is neither a success nor a failure. */
  close(): void {
    this.closed = true;
  }

  answered(spec: number, intendedAt: number, status: number, settled: Settled): void {
    this.settle(spec);
    if (this.closed) return;
    this.recorder.completed(`${Math.floor(status / 100)}xx`, performance.now() - intendedAt, status >= 500, spec);
    settled(true);
  }

  failed(spec: number, error: Error & { code?: string }, settled: Settled): void {
    this.settle(spec);
    if (this.closed) return;
    if (error.code !== undefined && timeoutCodes.has(error.code)) this.recorder.timedOut(spec);
    else this.recorder.failed(errorOutcome(error), spec);
    settled(false);
  }

  private settle(spec: number): void {
    this.inflight -= 1;
    this.inflightBySpec[spec]! -= 1;
  }
}

/** One request's callbacks from undici; the body is read and dropped. */
class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;

  constructor(
    private readonly sender: HttpSender,
    private readonly spec: number,
    private readonly intendedAt: number,
    private readonly settled: Settled,
  ) {}

  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    this.sender.answered(this.spec, this.intendedAt, this.status, this.settled);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.sender.failed(this.spec, error, this.settled);
  }
}
