import { countOf, figure, offset, percent, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import { BUSY_SHARE, LATE_SEND_MS, type GeneratorTally } from '../facts/generator.js';
import type { Detector, Finding } from '../types.js';

/** An episode worth a finding: at least this many intervals, and this share of the stream's. */
const MIN_INTERVALS = 3;
const MIN_SHARE = 0.02;

const perSecond = (count: number, spanMs: number) => (spanMs > 0 ? (count * 1000) / spanMs : 0);

function streamFinding(facts: RunFacts, stream: string, tally: GeneratorTally): Finding | undefined {
  if (tally.behind < MIN_INTERVALS || tally.behind < MIN_SHARE * tally.judged) return undefined;
  const offered = tally.offeredCount > 0 ? tally.offeredSum / tally.offeredCount : undefined;
  const sentPerSecond = perSecond(tally.sent, tally.spanMs);
  const why = [
    tally.busy > 0 ? `its busiest driver thread was busy ${percent(tally.utilization)} of the time${tally.cpu !== undefined ? ` (CPU up to ${figure(tally.cpu)} of a core)` : ''}` : undefined,
    tally.late > 0 ? `arrivals left soak up to ${figure(tally.sendLagMax)} ms after their intended time (p99 ${figure(tally.sendLagP99)} ms)` : undefined,
  ].filter((part) => part !== undefined);
  const rates = offered !== undefined ? ` It was asked for ${figure(offered)} req/s and sent ${figure(sentPerSecond)} req/s.` : '';
  const firstAt = tally.firstBehindAt!;
  return {
    kind: 'generator-saturated',
    severity: 'warn',
    title: `soak's load generator could not keep up on stream ${stream}`,
    at: firstAt,
    evidence: {
      summary:
        `soak's own load generator fell behind on stream ${stream}: ${countOf(tally.behind, 'interval', tally.judged)} affected, the first at ${offset(firstAt, facts.startT)}; ` +
        `${why.join(', and ')}.${rates} Latencies (p99 up to ${figure(tally.latencyP99)} ms) and throughput in those intervals are partly soak's delay, not the target's: ` +
        `give the stream more driver threads (load.workers, --workers; it had ${tally.threads}) or a lower load.`,
      stream,
      threads: tally.threads,
      intervals: tally.judged,
      intervalsBehind: tally.behind,
      busyIntervals: tally.busy,
      lateIntervals: tally.late,
      firstAt,
      busiestThread: { utilization: round(tally.utilization), ...(tally.cpu !== undefined ? { cpu: round(tally.cpu) } : {}) },
      sendLagMs: { p99: round(tally.sendLagP99), max: round(tally.sendLagMax) },
      latencyP99Ms: round(tally.latencyP99),
      ...(offered !== undefined ? { offeredPerSecond: round(offered) } : {}),
      sentPerSecond: round(sentPerSecond),
      completedPerSecond: round(perSecond(tally.completed, tally.spanMs)),
      thresholds: { busyShare: BUSY_SHARE, lateSendMs: LATE_SEND_MS, minIntervals: MIN_INTERVALS, minShare: MIN_SHARE },
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
  detect: (facts) => [...facts.load.generators].flatMap(([stream, tally]) => streamFinding(facts, stream, tally) ?? []),
};
