import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends JSON lines to a file. Lines are written with a plain write(2) at most `flushMs` after
 * they arrive: once in the kernel they survive a SIGKILL of soak, and a write never holds more
 * than `maxPending` lines in memory, so a night-long run keeps soak's memory flat.
 */
export class NdjsonAppender {
  private readonly fd: number;
  private pending: string[] = [];
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly path: string,
    flushMs = 1000,
    private readonly maxPending = 500,
  ) {
    this.fd = openSync(path, 'a', 0o600);
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  append(record: object): void {
    if (this.closed) return;
    this.pending.push(JSON.stringify(record));
    if (this.pending.length >= this.maxPending) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    writeSync(this.fd, text);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.timer);
    closeSync(this.fd);
  }
}
