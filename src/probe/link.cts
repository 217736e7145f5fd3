import { connect, type Socket } from 'node:net';

/** Unsent bytes allowed to queue on the socket; past this (a collector not reading) samples are dropped. */
const MAX_QUEUED_BYTES = 64 * 1024;
/** Commands are a few hundred bytes; a longer line from the collector is dropped. */
const MAX_COMMAND_BYTES = 64 * 1024;

/**
 * The preload's line to the harness's collector. Both the socket and the retry timer are unref'd:
 * the probe must never keep the target alive, and unref'd handles are also left out of
 * process.getActiveResourcesInfo(), so the probe does not count itself in `handles`.
 * While the collector is unreachable, samples are dropped (nothing is buffered) and a new
 * connection is tried every `retryMs`. Lines the collector sends are commands (see commands.cts):
 * each is answered on the same socket, whatever the sample queue holds.
 */
export class CollectorLink {
  private socket: Socket | undefined;
  private connected = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onCommand: (line: string) => string | undefined,
    private readonly retryMs = 3000,
    /** The first line on each connection: a remote probe's hello with the run's token (see src/distributed). */
    private readonly hello?: string,
  ) {
    this.open();
  }

  /** Sends one line if the collector is there and keeping up; otherwise drops it. */
  send(line: string): void {
    if (!this.connected || !this.socket || this.socket.writableLength > MAX_QUEUED_BYTES) return;
    this.socket.write(line);
  }

  private open(): void {
    const socket = connect({ host: this.host, port: this.port });
    socket.unref();
    this.socket = socket;
    socket.on('connect', () => {
      if (this.hello) socket.write(this.hello);
      this.connected = true;
    });
    // 'close' follows every error; the retry is scheduled there, once.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.connected = false;
      this.socket = undefined;
      setTimeout(() => this.open(), this.retryMs).unref();
    });
    // Reading also lets the collector's going away surface as 'end' and then 'close'.
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      try {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop()!;
        if (pending.length > MAX_COMMAND_BYTES) pending = '';
        for (const line of lines) {
          const reply = this.onCommand(line);
          if (reply) socket.write(reply);
        }
      } catch {
        // A failed command is the harness's problem, never the target's.
      }
    });
  }
}
