import type { LoadInterval } from '../../store/records.js';

/**
 * A driver thread busy this share of an interval had no idle moment to send on time or to read a
 * response as it came: what it measured then is partly its own delay.
 */
export const BUSY_SHARE = 0.95;
/**
 * Arrivals leaving soak this late (p99, ms) were held up by soak itself: a thread's timers are
 * normally late by a millisecond or two, and arrivals held back by maxInflight are not counted.
 */
export const LATE_SEND_MS = 10;

/**
 * What one stream's driver threads said of themselves, summed as its intervals arrive: how many
 * intervals soak was behind in (busy, or sending late) and the worst of what it recorded then.
 * The stream's first interval holds the threads' start-up and is not judged.
 */
export class GeneratorTally {
  judged = 0;
  behind = 0;
  busy = 0;
  late = 0;
  firstBehindAt: number | undefined;
  threads = 0;
  utilization = 0;
  cpu: number | undefined;
  sendLagP99 = 0;
  sendLagMax = 0;
  latencyP99 = 0;
  offeredSum = 0;
  offeredCount = 0;
  sent = 0;
  completed = 0;
  spanMs = 0;
  private seenFirst = false;

  add(interval: LoadInterval): void {
    if (!this.seenFirst) {
      this.seenFirst = true;
      return;
    }
    this.judged += 1;
    // Read defensively: runs recorded before soak watched its own generator have no `generator`.
    const generator = interval.generator;
    if (!generator) return;
    const busy = (generator.utilization ?? 0) >= BUSY_SHARE || (generator.cpu ?? 0) >= BUSY_SHARE;
    const late = (generator.sendLag?.p99 ?? 0) >= LATE_SEND_MS;
    if (!busy && !late) return;
    this.behind += 1;
    if (busy) this.busy += 1;
    if (late) this.late += 1;
    this.firstBehindAt ??= interval.t;
    this.threads = Math.max(this.threads, generator.threads);
    this.utilization = Math.max(this.utilization, generator.utilization ?? 0);
    if (generator.cpu !== undefined) this.cpu = Math.max(this.cpu ?? 0, generator.cpu);
    this.sendLagP99 = Math.max(this.sendLagP99, generator.sendLag?.p99 ?? 0);
    this.sendLagMax = Math.max(this.sendLagMax, generator.sendLag?.max ?? 0);
    this.latencyP99 = Math.max(this.latencyP99, interval.latency.p99);
    if (interval.offeredRate !== undefined) {
      this.offeredSum += interval.offeredRate;
      this.offeredCount += 1;
    }
    this.sent += interval.sent;
    this.completed += interval.completed;
    this.spanMs += interval.span;
  }
}
