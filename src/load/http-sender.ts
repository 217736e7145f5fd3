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
    this.recorder.sent(late);
    this.inflight += 1;
    const request = this.nextRequest();
    this.dispatcher.dispatch({ ...request, headersTimeout: remaining, bodyTimeout: remaining }, new Exchange(this, intendedAt, settled));
  }

  /** Later outcomes are ignored: what was cut off by stopping is neither a success nor a failure. */
  close(): void {
    this.closed = true;
  }

  answered(intendedAt: number, status: number, settled: Settled): void {
    this.inflight -= 1;
    if (this.closed) return;
    this.recorder.completed(`${Math.floor(status / 100)}xx`, performance.now() - intendedAt, status >= 500);
    settled(true);
  }

  failed(error: Error & { code?: string }, settled: Settled): void {
    this.inflight -= 1;
    if (this.closed) return;
    if (error.code !== undefined && timeoutCodes.has(error.code)) this.recorder.timedOut();
    else this.recorder.failed(errorOutcome(error));
    settled(false);
  }
}

/** One request's callbacks from undici; the body is read and dropped. */
class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;

  constructor(
    private readonly sender: HttpSender,
    private readonly intendedAt: number,
    private readonly settled: Settled,
  ) {}

  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    this.sender.answered(this.intendedAt, this.status, this.settled);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.sender.failed(error, this.settled);
  }
}
