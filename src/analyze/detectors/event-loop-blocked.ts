import type { NodeProbeSample } from '../../store/records.js';
import { byPid } from '../series.js';
import type { AnalysisConfig, Detector, Finding, RunData } from '../types.js';
import { figure, offset, percent, plural, round } from '../words.js';

/** Module loading and startup work block the loop by design: a process's first 3 s are not judged. */
export const STARTUP_GRACE_MS = 3000;
/** Intervals listed in the evidence; the count covers all of them. */
const MAX_LISTED = 50;
/**
 * A stall counts when the process was busy for at least half of it (event-loop utilisation of the
 * interval and the one before, where a stall across the sampling boundary lands). A process that was
 * idle through the stall was not running its own code: the host descheduled it (a loaded machine,
 * SIGSTOP). Measured here: a 250 ms busy loop gives utilisation 0.42-0.50 over a 500 ms interval; a
 * 300 ms SIGSTOP of an idle process gives a 304 ms delay at utilisation 0.002.
 */
const MIN_BUSY_SHARE = 0.5;

export interface Interval {
  sample: NodeProbeSample;
  /** Busy time of this interval and the previous one, ms; undefined when the probe did not measure utilisation. */
  busyMs?: number;
}

function gcPauseMs(sample: NodeProbeSample): number {
  return Object.values(sample.gc).reduce((sum, kind) => sum + kind.pauseMs, 0);
}

/** Busy time of one sample's interval, ms, from its utilisation and its span (the first sample's is the sampling interval). */
export function busyMsOf(sample: NodeProbeSample, previous: NodeProbeSample | undefined, sampleIntervalMs: number): number {
  return sample.eventLoop.utilization * (previous ? sample.t - previous.t : sampleIntervalMs);
}

function intervalsOf(process: NodeProbeSample[], sampleIntervalMs: number): Interval[] {
  const measured = process.some((sample) => sample.eventLoop.utilization > 0);
  let previousBusy = 0;
  return process.map((sample, index) => {
    const busy = busyMsOf(sample, process[index - 1], sampleIntervalMs);
    const interval = { sample, ...(measured ? { busyMs: busy + previousBusy } : {}) };
    previousBusy = busy;
    return interval;
  });
}

/** Every process's intervals after its startup and after the service was first ready, in time order. */
function judged(run: RunData, service: string, samples: NodeProbeSample[]): Interval[] {
  const ready = run.events.find((event) => event.type === 'service-ready' && event.service === service)?.t ?? -Infinity;
  return byPid(samples)
    .flatMap((process) => intervalsOf(process, run.meta.sampleIntervalMs).filter(({ sample }) => sample.t >= process[0]!.t + STARTUP_GRACE_MS && sample.t > ready))
    .sort((a, b) => a.sample.t - b.sample.t);
}

function delayed(sample: NodeProbeSample, config: AnalysisConfig): boolean {
  return sample.eventLoop.max >= config.eventLoopMaxMs || sample.eventLoop.p99 >= config.eventLoopP99Ms;
}

/** The process was busy through the stall, so its own code caused it; undefined busy time (not measured) counts. */
export function busyThrough({ sample, busyMs }: Interval): boolean {
  return busyMs === undefined || busyMs >= MIN_BUSY_SHARE * sample.eventLoop.max;
}

function finding(run: RunData, service: string, blocked: NodeProbeSample[], checked: number, hostPauses: number, config: AnalysisConfig): Finding {
  const first = blocked[0]!;
  const worst = blocked.reduce((top, sample) => (sample.eventLoop.max > top.eventLoop.max ? sample : top));
  const worstGc = gcPauseMs(worst);
  const gcNote = worstGc > 0 ? ` GC paused it ${figure(worstGc)} ms in that interval.` : '';
  return {
    kind: 'event-loop-blocked',
    severity: 'fail',
    title: `Event loop of ${service} blocked up to ${figure(worst.eventLoop.max)} ms`,
    service,
    at: first.t,
    evidence: {
      summary:
        `The event loop of ${service} was delayed past ${figure(config.eventLoopMaxMs)} ms (max) or ${figure(config.eventLoopP99Ms)} ms (p99) ` +
        `in ${plural(blocked.length, 'interval')} of ${checked} (${percent(blocked.length / checked)}), first at ${offset(first.t, run.startT)}; ` +
        `the worst was ${figure(worst.eventLoop.max)} ms at ${offset(worst.t, run.startT)}. While it is blocked no request is served.${gcNote}`,
      maxThresholdMs: config.eventLoopMaxMs,
      p99ThresholdMs: config.eventLoopP99Ms,
      intervalsBlocked: blocked.length,
      intervalsChecked: checked,
      firstAt: first.t,
      firstMaxMs: round(first.eventLoop.max),
      worstAt: worst.t,
      worstMaxMs: round(worst.eventLoop.max),
      worstP99Ms: round(worst.eventLoop.p99),
      worstUtilization: round(worst.eventLoop.utilization),
      worstGcPauseMs: round(worstGc),
      hostPausesIgnored: hostPauses,
      intervals: blocked.slice(0, MAX_LISTED).map((sample) => ({
        t: sample.t,
        pid: sample.pid,
        maxMs: round(sample.eventLoop.max),
        p99Ms: round(sample.eventLoop.p99),
      })),
    },
  };
}

/**
 * Intervals whose event-loop delay reached the thresholds (defaults as Clinic Doctor: 100 ms max) while
 * the process was busy, after each process's startup. A blocked loop stalls every request and timer of the process.
 */
export const eventLoopBlocked: Detector = {
  name: 'event-loop-blocked',
  detect(run, config) {
    const findings: Finding[] = [];
    for (const [service, samples] of run.node) {
      const checked = judged(run, service, samples);
      const stalls = checked.filter(({ sample }) => delayed(sample, config));
      const blocked = stalls.filter(busyThrough).map(({ sample }) => sample);
      if (blocked.length > 0) findings.push(finding(run, service, blocked, checked.length, stalls.length - blocked.length, config));
    }
    return findings;
  },
};
