import type { NodeProbeSample } from '../../store/records.js';
import type { AnalysisConfig } from '../types.js';
import type { TargetHold } from './holds.js';
import { MAX_LISTED } from './load.js';

/** Module loading and startup work block the loop by design: a process's first 3 s are not judged. */
export const STARTUP_GRACE_MS = 3000;
/**
 * A stall counts when the process was busy for at least half of it (event-loop utilisation of the
 * interval and the one before, where a stall across the sampling boundary lands). A process that was
 * idle through the stall was not running its own code: the host descheduled it (a loaded machine,
 * SIGSTOP). Measured here: a 250 ms busy loop gives utilisation 0.42-0.50 over a 500 ms interval; a
 * 300 ms SIGSTOP of an idle process gives a 304 ms delay at utilisation 0.002.
 */
const MIN_BUSY_SHARE = 0.5;

/**
 * A stall is the garbage collector's when one collection in its interval (or the one before, where
 * the delay of a pause late in an interval is read) paused the process for at least half of the delay: a 415 ms major GC delays the loop about 430 ms, while a blocking call of
 * 300 ms meets at most a few ms of scavenges. Runs before the probe recorded the longest pause per
 * kind are judged on the interval's total pause.
 */
const GC_SHARE_OF_STALL = 0.5;

export interface Stall {
  t: number;
  pid: number;
  maxMs: number;
  p99Ms: number;
  utilization: number;
  gcPauseMs: number;
  /** The longest single collection of the interval, its kind, and the heap then. */
  longestGcMs: number;
  gcKind: string | undefined;
  heapUsed: number;
  heapTotal: number;
}

/** Stalls of one cause: how many, the first, the worst and the first MAX_LISTED. */
export class StallTally {
  count = 0;
  first: Stall | undefined;
  worst: Stall | undefined;
  readonly listed: Stall[] = [];

  add(stall: Stall): void {
    this.count += 1;
    this.first ??= stall;
    if (!this.worst || stall.maxMs > this.worst.maxMs) this.worst = stall;
    if (this.listed.length < MAX_LISTED) this.listed.push(stall);
  }
}

/** Collections over the judged time, by kind: how many, their pauses in all, and the longest. */
export interface GcTotals {
  count: number;
  pauseMs: number;
  longestMs: number;
}

interface ProcessLoop {
  firstT: number;
  lastT: number;
  lastBusyMs: number;
  /** The previous interval's longest collection: a pause late in it delays the loop in this one. */
  lastLongestGc: { ms: number; kind: string | undefined };
  /** Whether the probe measures utilisation in this process (any sample so far above zero). */
  measured: boolean;
}

const gcPauseMs = (sample: NodeProbeSample) => Object.values(sample.gc).reduce((sum, kind) => sum + kind.pauseMs, 0);

/** The interval's longest single collection and its kind (a kind's total pause where the probe did not record its longest). */
function longestGc(sample: NodeProbeSample): { ms: number; kind: string | undefined } {
  let longest = { ms: 0, kind: undefined as string | undefined };
  for (const [kind, figures] of Object.entries(sample.gc)) {
    const ms = figures.maxPauseMs ?? figures.pauseMs;
    if (ms > longest.ms) longest = { ms, kind };
  }
  return longest;
}

/**
 * A service's event-loop stalls as the event-loop-blocked and gc-pause findings and the event-loop
 * budgets judge them: intervals at or over the thresholds, past each process's startup, after the
 * service was ready and before the load's plan ended (what follows is soak's drain), that the process
 * was busy through. Those a collection explains are the GC's (`gc`); the rest are its code's
 * (`blocked`, `first`, `worst`, `listed`). Collections are totalled over the judged time too.
 */
export class EventLoopStalls {
  checked = 0;
  hostPauses = 0;
  /** Intervals over a threshold while soak held the process still (a heap snapshot) or it caught up after: soak's doing. */
  soakHolds = 0;
  /** Intervals over a threshold after the load's plan ended: soak closing its connections, not the target's load. */
  afterLoad = 0;
  /** Time judged, ms: the spans of the checked intervals. */
  judgedMs = 0;
  readonly code = new StallTally();
  readonly gc = new StallTally();
  readonly gcTotals = new Map<string, GcTotals>();
  /** The first stall of its code at or over each threshold on its own: what an event-loop budget breaks on. */
  firstOverMax: Stall | undefined;
  firstOverP99: Stall | undefined;
  private readonly processes = new Map<number, ProcessLoop>();

  constructor(
    private readonly config: AnalysisConfig,
    private readonly sampleIntervalMs: number,
  ) {}

  get blocked(): number {
    return this.code.count;
  }
  get first(): Stall | undefined {
    return this.code.first;
  }
  get worst(): Stall | undefined {
    return this.code.worst;
  }
  get listed(): Stall[] {
    return this.code.listed;
  }

  /**
   * `readyAt`: when the service was first ready (undefined: no such event, every sample counts);
   * `held`: soak held the process still in or just before the interval; `loadEnd`: when the load's plan
   * ended (undefined: not known yet). Returns a stall of its code.
   */
  add(sample: NodeProbeSample, readyAt: number | undefined, held?: TargetHold, loadEnd?: number): Stall | undefined {
    const seen = this.processes.get(sample.pid);
    const spanMs = seen ? sample.t - seen.lastT : this.sampleIntervalMs;
    const busyMs = sample.eventLoop.utilization * spanMs;
    const measured = (seen?.measured ?? false) || sample.eventLoop.utilization > 0;
    const firstT = seen?.firstT ?? sample.t;
    const ownGc = longestGc(sample);
    this.processes.set(sample.pid, { firstT, lastT: sample.t, lastBusyMs: busyMs, measured, lastLongestGc: ownGc });
    if (sample.t < firstT + STARTUP_GRACE_MS || (readyAt !== undefined && sample.t <= readyAt)) return undefined;
    const { max, p99, utilization } = sample.eventLoop;
    const over = max >= this.config.eventLoopMaxMs || p99 >= this.config.eventLoopP99Ms;
    if (loadEnd !== undefined && sample.t > loadEnd) {
      if (over) this.afterLoad += 1;
      return undefined;
    }
    this.checked += 1;
    this.judgedMs += spanMs;
    this.addGc(sample);
    if (!over) return undefined;
    if (held) {
      this.soakHolds += 1;
      return undefined;
    }
    const busyThrough = !measured || busyMs + (seen?.lastBusyMs ?? 0) >= MIN_BUSY_SHARE * max;
    if (!busyThrough) {
      this.hostPauses += 1;
      return undefined;
    }
    // The probe reads the loop's delay when its timer runs: a stall a collection caused may land in the interval after it.
    const previousGc = seen?.lastLongestGc;
    const longest = previousGc && previousGc.ms > ownGc.ms ? previousGc : ownGc;
    const stall: Stall = {
      t: sample.t,
      pid: sample.pid,
      maxMs: max,
      p99Ms: p99,
      utilization,
      gcPauseMs: gcPauseMs(sample),
      longestGcMs: longest.ms,
      gcKind: longest.kind,
      heapUsed: sample.memory.heapUsed,
      heapTotal: sample.memory.heapTotal,
    };
    if (longest.ms >= GC_SHARE_OF_STALL * max) {
      this.gc.add(stall);
      return undefined;
    }
    this.code.add(stall);
    if (max >= this.config.eventLoopMaxMs) this.firstOverMax ??= stall;
    if (p99 >= this.config.eventLoopP99Ms) this.firstOverP99 ??= stall;
    return stall;
  }

  private addGc(sample: NodeProbeSample): void {
    for (const [kind, figures] of Object.entries(sample.gc)) {
      let totals = this.gcTotals.get(kind);
      if (!totals) this.gcTotals.set(kind, (totals = { count: 0, pauseMs: 0, longestMs: 0 }));
      totals.count += figures.count;
      totals.pauseMs += figures.pauseMs;
      totals.longestMs = Math.max(totals.longestMs, figures.maxPauseMs ?? figures.pauseMs);
    }
  }
}
