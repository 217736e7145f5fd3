import { Connection, type ConnectionOwner, type Origin } from './connection.js';

/** How a request carried by the pool ended, told to whoever dispatched it. */
export interface PoolEvents {
  answered(connection: Connection, status: number): void;
  failed(connection: Connection, outcome: string): void;
  timedOut(connection: Connection): void;
}

/** How often the end of the load closes its next connections. */
const CLOSE_STEP_MS = 20;

/** How often in-flight requests are checked against their deadline, at most and at least. */
const sweepBounds = { min: 5, max: 100 };

export function originOf(baseUrl: string): Origin {
  const url = new URL(baseUrl);
  const tls = url.protocol === 'https:';
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || (tls ? 443 : 80)), tls };
}

/**
 * Keep-alive connections to one origin, opened as requests need them: as many as requests in
 * flight at once, which the open model's maxInflight and the closed model's loops bound. The most
 * recently freed connection is used first, so a light load keeps a few connections warm instead
 * of cycling through many that the server then closes as idle. Deadlines are checked by one
 * timer for the whole pool, every timeout/10 (5-100 ms), instead of a timer per request: a
 * timed-out request is noticed at most that much late and its connection is closed.
 */
export class ConnectionPool implements ConnectionOwner {
  private readonly idle: Connection[] = [];
  private readonly open = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly origin: Origin,
    timeoutMs: number,
    private readonly events: PoolEvents,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(sweepBounds.max, Math.max(sweepBounds.min, timeoutMs / 10)));
  }

  get size(): number {
    return this.open.size;
  }

  /** A free connection for one request: the caller sets the request's fields on it and calls send(); the pool tells `events` how it ends. */
  acquire(): Connection {
    const reused = this.idle.pop();
    if (reused) return reused;
    const connection = new Connection(this.origin, this);
    this.open.add(connection);
    return connection;
  }

  answered(connection: Connection, status: number, reusable: boolean): void {
    if (reusable) this.idle.push(connection);
    else this.open.delete(connection);
    this.events.answered(connection, status);
  }

  failed(connection: Connection, outcome: string): void {
    this.open.delete(connection);
    this.events.failed(connection, outcome);
  }

  gone(connection: Connection): void {
    this.open.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
  }

  /**
   * Ends the load: closes the connections `perSecond` at a time rather than all at once (a burst of
   * closes is work soak would make the target do at the end, and then blame on it); at once when
   * `stop` is aborted. Requests still on them are the caller's to account for.
   */
  async closePaced(perSecond: number, stop: AbortSignal): Promise<void> {
    clearInterval(this.sweeper);
    const startedAt = performance.now();
    let closed = 0;
    while (this.open.size > 0 && !stop.aborted) {
      const due = 1 + Math.floor(((performance.now() - startedAt) * perSecond) / 1000);
      for (const connection of [...this.open].slice(0, due - closed)) connection.destroy();
      closed = due;
      if (this.open.size > 0) await new Promise((resolve) => setTimeout(resolve, CLOSE_STEP_MS));
    }
    this.close();
  }

  /** Closes every connection now; requests still on them are the caller's to account for. */
  close(): void {
    clearInterval(this.sweeper);
    for (const connection of [...this.open]) connection.destroy();
    this.idle.length = 0;
  }

  private sweep(): void {
    const now = performance.now();
    for (const connection of this.open) {
      if (connection.busy && connection.deadline <= now) {
        connection.destroy();
        this.events.timedOut(connection);
      }
    }
  }
}
