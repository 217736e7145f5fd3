import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Fed, ResponseParser } from './response-parser.js';

/** Where connections go: host as net.connect takes it (no brackets), port, and whether it is TLS. */
export interface Origin {
  host: string;
  port: number;
  tls: boolean;
}

/** What a connection reports to its pool. */
export interface ConnectionOwner {
  /** The request got a response; `reusable`: the connection is open and free for the next one. */
  answered(connection: Connection, status: number, reusable: boolean): void;
  /** The request got none: the socket's error code (ECONNREFUSED, ECONNRESET) or what happened ("socket-closed", "bad-response"). The connection is gone. */
  failed(connection: Connection, outcome: string): void;
  /** An idle connection closed, or one was destroyed. */
  gone(connection: Connection): void;
}

/**
 * Every plain-TCP socket of a thread reads into this one buffer: its bytes are parsed before the
 * callback returns, so no read allocates and nothing is kept but the parser's few numbers.
 */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time (no pipelining). The request's
 * own fields live on the connection, so a request costs no object of its own: `spec`, `intendedAt`,
 * `deadline` (performance.now() ms) and `tag` are the sender's, read back when it settles.
 */
export class Connection {
  busy = false;
  spec = 0;
  intendedAt = 0;
  deadline = Infinity;
  tag: unknown;
  private connected = false;
  private ended = false;
  private waiting: Buffer | undefined;
  private errorCode: string | undefined;
  private readonly parser = new ResponseParser();
  private readonly socket: Socket;

  constructor(
    origin: Origin,
    private readonly owner: ConnectionOwner,
  ) {
    const onChunk = (bytes: Buffer, start: number, end: number) => {
      this.read(bytes, start, end);
      return true;
    };
    if (origin.tls) {
      this.socket = tlsConnect({ host: origin.host, port: origin.port, servername: origin.host });
      this.socket.on('data', (chunk: Buffer) => onChunk(chunk, 0, chunk.length));
      this.socket.once('secureConnect', () => this.onConnect());
    } else {
      this.socket = netConnect({ host: origin.host, port: origin.port, onread: { buffer: sharedReadBuffer, callback: (length: number, bytes: Uint8Array) => onChunk(bytes as Buffer, 0, length) } });
      this.socket.once('connect', () => this.onConnect());
    }
    this.socket.setNoDelay(true);
    this.socket.on('error', (error: Error & { code?: string }) => (this.errorCode ??= error.code ?? 'error'));
    this.socket.once('close', () => this.onClose());
  }

  /** Sends a request; `head`: a HEAD request, whose response has no body. */
  send(bytes: Buffer, head: boolean): void {
    this.busy = true;
    this.parser.reset(head);
    if (this.connected) this.socket.write(bytes);
    else this.waiting = bytes;
  }

  /** Ends the connection now; the request it carries, if any, is the caller's to account for. */
  destroy(): void {
    if (this.ended) return;
    this.end();
    this.owner.gone(this);
  }

  private onConnect(): void {
    this.connected = true;
    if (this.waiting) {
      this.socket.write(this.waiting);
      this.waiting = undefined;
    }
  }

  private read(bytes: Buffer, start: number, end: number): void {
    if (!this.busy) {
      // Bytes nobody asked for: the server and soak no longer agree on where responses start.
      if (end > start) this.destroy();
      return;
    }
    const fed = this.parser.feed(bytes, start, end);
    if (fed === Fed.Partial) return;
    if (fed === Fed.Invalid) return this.fail('bad-response');
    // Bytes past the response: the server and soak no longer agree on where responses start.
    const reusable = this.parser.keepAlive && this.parser.offset === end;
    this.busy = false;
    if (!reusable) this.end();
    this.owner.answered(this, this.parser.status, reusable);
  }

  private onClose(): void {
    if (this.ended) return;
    const wasBusy = this.busy;
    this.ended = true;
    this.busy = false;
    if (!wasBusy) this.owner.gone(this);
    else if (this.parser.closed() === Fed.Complete) this.owner.answered(this, this.parser.status, false);
    else this.owner.failed(this, this.errorCode ?? 'socket-closed');
  }

  private fail(outcome: string): void {
    this.end();
    this.owner.failed(this, outcome);
  }

  private end(): void {
    this.ended = true;
    this.busy = false;
    this.socket.destroy();
  }
}
