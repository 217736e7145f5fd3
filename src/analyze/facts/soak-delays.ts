import type { LoadInterval } from '../../store/records.js';

/** Delays of soak's own driver threads shorter than this are timer noise, kept out of the list. */
const NOTED_DELAY_MS = 40;
/** How long a delay is kept: a stall of a target is settled a few seconds after it (SETTLE_MS), so a minute is ample. */
const KEPT_MS = 60_000;
/** Kept at most: a driver thread reports once an interval per stream, so this bounds a run with many streams. */
const MAX_KEPT = 4096;

interface SoakDelay {
  /** The earliest and latest moment the delay can have fallen in. */
  from: number;
  to: number;
  maxMs: number;
  stream: string;
}

export interface SoakStall {
  maxMs: number;
  stream: string;
}

/**
 * The event-loop delays soak's own load driver threads recorded of themselves (`generator.loopDelay`),
 * the recent ones. A driver thread is a few timers and sockets: when it is delayed as long as a target
 * is, at the same moment, the machine held both off the CPU (more runnable work than cores), which no
 * code of the target did.
 */
export class SoakDelays {
  private readonly delays: SoakDelay[] = [];

  add(interval: LoadInterval): void {
    const maxMs = interval.generator?.loopDelay.max ?? 0;
    if (maxMs < NOTED_DELAY_MS) return;
    this.delays.push({ from: interval.t - interval.span - maxMs, to: interval.t, maxMs, stream: interval.stream });
    while (this.delays.length > MAX_KEPT || (this.delays.length > 0 && this.delays[0]!.to < interval.t - KEPT_MS)) this.delays.shift();
  }

  /** soak's longest own delay of at least `leastMs` that may have fallen in [from, to]. */
  during(from: number, to: number, leastMs: number): SoakStall | undefined {
    let longest: SoakDelay | undefined;
    for (const delay of this.delays) {
      if (delay.maxMs < leastMs || delay.to < from || delay.from > to) continue;
      if (!longest || delay.maxMs > longest.maxMs) longest = delay;
    }
    return longest && { maxMs: longest.maxMs, stream: longest.stream };
  }
}
