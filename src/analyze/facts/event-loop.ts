import type { NodeProbeSample } from '../../store/records.js';
import { median } from '../stats/index.js';
import type { AnalysisConfig } from '../types.js';
import { CATCH_UP_MS, type TargetHold } from './holds.js';
import { MAX_LISTED } from './load.js';
import type { SoakDelays, SoakStall } from './soak-delays.js';

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

/**
 * A stall is the host's (the machine short of CPU) when soak's own load threads, a few timers and
 * sockets in another process, were delayed at least this share of it at the same moment, and the
 * target used less than this share of it in CPU beyond its usual over the interval and the one before:
 * it was runnable and not run. Its code cannot delay soak, and code that blocks burns CPU through the
 * stall on top of the usual; a call that waits on a child process (execSync) uses little CPU but
 * leaves soak's threads on time.
 */
const HOST_SHARE_OF_STALL = 0.5;
/** The process's usual CPU is the median rate of its last this many intervals. */
const USUAL_CPU_INTERVALS = 30;
/** A stall waits this long for the load intervals of its moment (they close up to an interval later) before it is judged. */
export const SETTLE_MS = 3000;

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
  /** The process's CPU time over the interval and the one before, ms, and what of it was beyond its usual rate. */
  cpuMs: number;
  extraCpuMs: number;
  /** soak's own load thread delayed with it (host contention). */
  soak?: SoakStall;
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
  lastSpanMs: number;
  lastBusyMs: number;
  lastCpuMs: number;
  /** CPU per ms of its last USUAL_CPU_INTERVALS intervals, oldest first. */
  cpuRates: number[];
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
 * was busy through. Those soak's own threads had too while the process used no more CPU than usual
 * are the machine's (`host`), those a collection explains the GC's (`gc`); the rest are its code's
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
  /** Stalls soak's own threads had too, at the same moment, while the process used little CPU: the machine's, not its code's. */
  readonly host = new StallTally();
  readonly gcTotals = new Map<string, GcTotals>();
  /** The first stall of its code at or over each threshold on its own: what an event-loop budget breaks on. */
  firstOverMax: Stall | undefined;
  firstOverP99: Stall | undefined;
  private readonly processes = new Map<number, ProcessLoop>();
  /** Stalls waiting for soak's own figures of their moment (settle). */
  private readonly pending: { stall: Stall; spanMs: number }[] = [];
  /** Each process's last stall of the host's: the interval after it works off what queued up meanwhile. */
  private readonly lastHostStall = new Map<number, Stall>();

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
   * ended (undefined: not known yet). A stall no collection explains waits for settle().
   */
  add(sample: NodeProbeSample, readyAt: number | undefined, held?: TargetHold, loadEnd?: number): void {
    const seen = this.processes.get(sample.pid);
    const spanMs = seen ? sample.t - seen.lastT : this.sampleIntervalMs;
    const busyMs = sample.eventLoop.utilization * spanMs;
    const cpuMs = sample.cpu.user + sample.cpu.system;
    const measured = (seen?.measured ?? false) || sample.eventLoop.utilization > 0;
    const firstT = seen?.firstT ?? sample.t;
    const ownGc = longestGc(sample);
    const cpuRates = [...(seen?.cpuRates ?? []), cpuMs / spanMs].slice(-USUAL_CPU_INTERVALS);
    this.processes.set(sample.pid, { firstT, lastT: sample.t, lastSpanMs: spanMs, lastBusyMs: busyMs, lastCpuMs: cpuMs, cpuRates, measured, lastLongestGc: ownGc });
    if (sample.t < firstT + STARTUP_GRACE_MS || (readyAt !== undefined && sample.t <= readyAt)) return;
    const { max, p99, utilization } = sample.eventLoop;
    const over = max >= this.config.eventLoopMaxMs || p99 >= this.config.eventLoopP99Ms;
    if (loadEnd !== undefined && sample.t > loadEnd) {
      if (over) this.afterLoad += 1;
      return;
    }
    this.checked += 1;
    this.judgedMs += spanMs;
    this.addGc(sample);
    if (!over) return;
    if (held) {
      this.soakHolds += 1;
      return;
    }
    const busyThrough = !measured || busyMs + (seen?.lastBusyMs ?? 0) >= MIN_BUSY_SHARE * max;
    if (!busyThrough) {
      this.hostPauses += 1;
      return;
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
      cpuMs: cpuMs + (seen?.lastCpuMs ?? 0),
      extraCpuMs: cpuMs + (seen?.lastCpuMs ?? 0) - median(cpuRates) * (spanMs + (seen ? seen.lastSpanMs : 0)),
    };
    this.pending.push({ stall, spanMs });
  }

  /**
   * Judges the stalls up to `until` (all of them without it) as the host's, the GC's or their code's.
   * The host's first: a machine short of CPU stretches whatever the process was doing, a collection
   * too (a 5 MB heap's major GC took 1,084 ms under a CPU quota). Records are read in time order, so
   * a stall settled SETTLE_MS after it has met soak's delays of its moment.
   */
  settle(soak: SoakDelays, until = Infinity): void {
    while (this.pending.length > 0 && this.pending[0]!.stall.t <= until) {
      const { stall, spanMs } = this.pending.shift()!;
      const littleCpu = stall.extraCpuMs < HOST_SHARE_OF_STALL * stall.maxMs;
      const delayed = littleCpu ? soak.during(stall.t - spanMs - stall.maxMs, stall.t, HOST_SHARE_OF_STALL * stall.maxMs) : undefined;
      const before = this.lastHostStall.get(stall.pid);
      const catchingUp = before !== undefined && stall.t - spanMs <= before.t + CATCH_UP_MS;
      if (delayed || catchingUp) {
        const hostStall = { ...stall, soak: delayed ?? before!.soak };
        this.host.add(hostStall);
        // Only a stall soak had too starts a catch-up: a chain of catch-ups would excuse code that blocks from then on.
        if (delayed) this.lastHostStall.set(stall.pid, hostStall);
        continue;
      }
      if (stall.longestGcMs >= GC_SHARE_OF_STALL * stall.maxMs) {
        this.gc.add(stall);
        continue;
      }
      this.code.add(stall);
      if (stall.maxMs >= this.config.eventLoopMaxMs) this.firstOverMax ??= stall;
      if (stall.p99Ms >= this.config.eventLoopP99Ms) this.firstOverP99 ??= stall;
    }
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
