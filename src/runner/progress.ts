import { formatDuration } from '../core/duration.js';
import { compactMegabytes as mb } from '../core/format.js';
import type { LiveStatus } from './live.js';

export function formatStatus(status: LiveStatus): string {
  const parts = [
    `${formatDuration(status.elapsedMs)} / ${formatDuration(status.plannedMs)}`,
    `${status.rps.toFixed(0)} req/s`,
    `p99 ${status.p99Ms === undefined ? '-' : `${status.p99Ms.toFixed(1)}ms`}`,
    `errors ${status.errors}`,
    `heap ${mb(status.heapUsed)}`,
    `rss ${mb(status.rss)}`,
  ];
  if (status.alerts.length > 0) parts.push(`! ${status.alerts.join(', ')}`);
  return parts.join(' | ');
}

/**
 * One updating line on a terminal; a plain line every `plainEveryMs` elsewhere (CI logs),
 * so a night-long run does not write a line per second into a log file.
 */
export class ProgressPrinter {
  private lastPlain = 0;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly plainEveryMs = 10_000,
  ) {}

  update(status: LiveStatus): void {
    const line = formatStatus(status);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
    } else if (Date.now() - this.lastPlain >= this.plainEveryMs) {
      this.lastPlain = Date.now();
      this.stream.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
