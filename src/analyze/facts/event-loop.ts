import type { NodeProbeSample } from '../../store/records.js';
import type { AnalysisConfig } from '../types.js';
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

export interface Stall {
  t: number;
  pid: number;
  maxMs: number;
  p99Ms: number;
  utilization: number;
  gcPauseMs: number;
}

interface ProcessLoop {
  firstT: number;
  lastT: number;
  lastBusyMs: number;
  /** Whether the probe measures utilisation in this process (any sample so far above zero). */
  measured: boolean;
}

const gcPauseMs = (sample: NodeProbeSample) => Object.values(sample.gc).reduce((sum, kind) => sum + kind.pauseMs, 0);

/**
 * A service's event-loop stalls as the event-loop-blocked finding and the event-loop budgets judge
 * them: intervals at or over the thresholds, past each process's startup and after the service was
 * ready, that the process was busy through. The first MAX_LISTED are kept, with the first, the worst
 * and the counts.
 */
export class EventLoopStalls {
  checked = 0;
  blocked = 0;
  hostPauses = 0;
  first: Stall | undefined;
  worst: Stall | undefined;
  /** The first stall at or over each threshold on its own: what an event-loop budget breaks on. */
  firstOverMax: Stall | undefined;
  firstOverP99: Stall | undefined;
  readonly listed: Stall[] = [];
  private readonly processes = new Map<number, ProcessLoop>();

  constructor(
    private readonly config: AnalysisConfig,
    private readonly sampleIntervalMs: number,
  ) {}

  /** `readyAt`: when the service was first ready (undefined: no such event, every sample counts). Returns a stall that counts. */
  add(sample: NodeProbeSample, readyAt: number | undefined): Stall | undefined {
    const seen = this.processes.get(sample.pid);
    const busyMs = sample.eventLoop.utilization * (seen ? sample.t - seen.lastT : this.sampleIntervalMs);
    const measured = (seen?.measured ?? false) || sample.eventLoop.utilization > 0;
    const firstT = seen?.firstT ?? sample.t;
    this.processes.set(sample.pid, { firstT, lastT: sample.t, lastBusyMs: busyMs, measured });
    if (sample.t < firstT + STARTUP_GRACE_MS || (readyAt !== undefined && sample.t <= readyAt)) return undefined;
    this.checked += 1;
    const { max, p99, utilization } = sample.eventLoop;
    if (max < this.config.eventLoopMaxMs && p99 < this.config.eventLoopP99Ms) return undefined;
    const busyThrough = !measured || busyMs + (seen?.lastBusyMs ?? 0) >= MIN_BUSY_SHARE * max;
    if (!busyThrough) {
      this.hostPauses += 1;
      return undefined;
    }
    const stall: Stall = { t: sample.t, pid: sample.pid, maxMs: max, p99Ms: p99, utilization, gcPauseMs: gcPauseMs(sample) };
    this.blocked += 1;
    this.first ??= stall;
    if (max >= this.config.eventLoopMaxMs) this.firstOverMax ??= stall;
    if (p99 >= this.config.eventLoopP99Ms) this.firstOverP99 ??= stall;
    if (!this.worst || max > this.worst.maxMs) this.worst = stall;
    if (this.listed.length < MAX_LISTED) this.listed.push(stall);
    return stall;
  }
}
