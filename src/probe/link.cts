import { connect, type Socket } from 'node:net';

/** Unsent bytes allowed to queue on the socket; past this (a collector not reading) samples are dropped. */
const maxQueuedBytes = 64 * 1024;

/**
 * The preload's line to the harness's collector. Both the socket and the retry timer are unref'd:
 * the probe must never keep the target alive, and unref'd handles are also left out of
 * process.getActiveResourcesInfo(), so the probe does not count itself in `handles`.
 * While the collector is unreachable, samples are dropped (nothing is buffered) and a new
 * connection is tried every `retryMs`.
 */
export class CollectorLink {
  private socket: Socket | undefined;
  private connected = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly retryMs = 3000,
  ) {
    this.open();
  }

  /** Sends one line if the collector is there and keeping up; otherwise drops it. */
  send(line: string): void {
    if (!this.connected || !this.socket || this.socket.writableLength > maxQueuedBytes) return;
    this.socket.write(line);
  }

  private open(): void {
    const socket = connect({ host: this.host, port: this.port });
    socket.unref();
    this.socket = socket;
    socket.on('connect', () => (this.connected = true));
    // 'close' follows every error; the retry is scheduled there, once.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.connected = false;
      this.socket = undefined;
      setTimeout(() => this.open(), this.retryMs).unref();
    });
    // The collector never writes; reading lets its going away surface as 'end' and then 'close'.
    socket.resume();
  }
}
