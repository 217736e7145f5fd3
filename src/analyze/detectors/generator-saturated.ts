import type { LoadInterval } from '../../store/records.js';
import type { Detector, Finding, RunData } from '../types.js';
import { countOf, figure, offset, percent, round } from '../words.js';

/**
 * A driver thread busy this share of an interval had no idle moment to send on time or to read a
 * response as it came: what it measured then is partly its own delay.
 */
const busyShare = 0.95;
/**
 * Arrivals leaving soak this late (p99, ms) were held up by soak itself: a thread's timers are
 * normally late by a millisecond or two, and arrivals held back by maxInflight are not counted.
 */
const lateSendMs = 10;
/** An episode worth a finding: at least this many intervals, and this share of the stream's. */
const minIntervals = 3;
const minShare = 0.02;

interface Verdict {
  busy: boolean;
  late: boolean;
}

/** Read defensively: runs recorded before soak watched its own generator have no `generator`. */
function verdictOf(interval: LoadInterval): Verdict | undefined {
  const generator = interval.generator;
  if (!generator) return undefined;
  const busy = (generator.utilization ?? 0) >= busyShare || (generator.cpu ?? 0) >= busyShare;
  const late = (generator.sendLag?.p99 ?? 0) >= lateSendMs;
  return busy || late ? { busy, late } : undefined;
}

const perSecond = (count: number, intervals: LoadInterval[]) => {
  const spanMs = intervals.reduce((sum, interval) => sum + interval.span, 0);
  return spanMs > 0 ? (count * 1000) / spanMs : 0;
};

function streamFinding(run: RunData, stream: string, intervals: LoadInterval[]): Finding | undefined {
  // The first interval holds the threads' start-up: not a measure of keeping up.
  const judged = intervals.slice(1);
  const flagged = judged.flatMap((interval) => {
    const verdict = verdictOf(interval);
    return verdict ? [{ interval, ...verdict }] : [];
  });
  if (flagged.length < minIntervals || flagged.length < minShare * judged.length) return undefined;

  const bad = flagged.map((entry) => entry.interval);
  const generators = bad.map((interval) => interval.generator!);
  const threads = Math.max(...generators.map((generator) => generator.threads));
  const utilization = Math.max(...generators.map((generator) => generator.utilization ?? 0));
  const cpus = generators.flatMap((generator) => (generator.cpu === undefined ? [] : [generator.cpu]));
  const lagP99 = Math.max(...generators.map((generator) => generator.sendLag?.p99 ?? 0));
  const lagMax = Math.max(...generators.map((generator) => generator.sendLag?.max ?? 0));
  const latencyP99 = Math.max(...bad.map((interval) => interval.latency.p99));
  const offered = bad.some((interval) => interval.offeredRate !== undefined)
    ? bad.reduce((sum, interval) => sum + (interval.offeredRate ?? 0), 0) / bad.length
    : undefined;
  const sentPerSecond = perSecond(bad.reduce((sum, interval) => sum + interval.sent, 0), bad);
  const completedPerSecond = perSecond(bad.reduce((sum, interval) => sum + interval.completed, 0), bad);

  const why = [
    flagged.some((entry) => entry.busy)
      ? `its busiest driver thread was busy ${percent(utilization)} of the time${cpus.length > 0 ? ` (CPU up to ${figure(Math.max(...cpus))} of a core)` : ''}`
      : undefined,
    flagged.some((entry) => entry.late) ? `arrivals left soak up to ${figure(lagMax)} ms after their intended time (p99 ${figure(lagP99)} ms)` : undefined,
  ].filter((part) => part !== undefined);
  const rates = offered !== undefined ? ` It was asked for ${figure(offered)} req/s and sent ${figure(sentPerSecond)} req/s.` : '';
  return {
    kind: 'generator-saturated',
    severity: 'warn',
    title: `soak's load generator could not keep up on stream ${stream}`,
    at: bad[0]!.t,
    evidence: {
      summary:
        `soak's own load generator fell behind on stream ${stream}: ${countOf(bad.length, 'interval', judged.length)} affected, the first at ${offset(bad[0]!.t, run.startT)}; ` +
        `${why.join(', and ')}.${rates} Latencies (p99 up to ${figure(latencyP99)} ms) and throughput in those intervals are partly soak's delay, not the target's: ` +
        `give the stream more driver threads (load.workers, --workers; it had ${threads}) or a lower load.`,
      stream,
      threads,
      intervals: judged.length,
      intervalsBehind: bad.length,
      busyIntervals: flagged.filter((entry) => entry.busy).length,
      lateIntervals: flagged.filter((entry) => entry.late).length,
      firstAt: bad[0]!.t,
      busiestThread: { utilization: round(utilization), ...(cpus.length > 0 ? { cpu: round(Math.max(...cpus)) } : {}) },
      sendLagMs: { p99: round(lagP99), max: round(lagMax) },
      latencyP99Ms: round(latencyP99),
      ...(offered !== undefined ? { offeredPerSecond: round(offered) } : {}),
      sentPerSecond: round(sentPerSecond),
      completedPerSecond: round(completedPerSecond),
      thresholds: { busyShare, lateSendMs, minIntervals, minShare },
    },
  };
}

/**
 * soak's own driver threads, judged on what they recorded about themselves: a thread that was busy
 * all the time, or sent arrivals well after their intended time, measured its own delay along with
 * the target's. Said apart, so that a slow generator is not read as a slow target.
 */
export const generatorSaturated: Detector = {
  name: 'generator-saturated',
  detect(run) {
    const streams = new Map<string, LoadInterval[]>();
    for (const interval of run.load) {
      const list = streams.get(interval.stream);
      if (list) list.push(interval);
      else streams.set(interval.stream, [interval]);
    }
    return [...streams].flatMap(([stream, intervals]) => streamFinding(run, stream, intervals) ?? []);
  },
};
