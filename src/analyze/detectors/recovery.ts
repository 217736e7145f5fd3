import type { LoadInterval } from '../../store/records.js';
import type { Detector, Finding, RunData } from '../types.js';
import { baselineOf, faultSpans, figuresOf, midpoint, served, type FaultSpan, type LoadFigures } from './fault-impact.js';

export const defaultRecoveryMs = 10_000;
/** Recovered means served throughput at least this share of the baseline... */
const throughputShare = 0.9;
/** ...and p99 at most this multiple of it (plus a little slack, so a 1 ms baseline does not demand 1.5 ms)... */
const p99Factor = 1.5;
const p99SlackMs = 5;
/** ...for this many intervals in a row. */
const consecutive = 3;

type StreamRecovery =
  | { stream: string; recovered: true; recoveryMs: number; at: number }
  | { stream: string; recovered: false; watchedMs: number }
  | { stream: string; recovered: 'no-baseline' };

function isBackToBaseline(interval: LoadInterval, baseline: LoadFigures): boolean {
  const throughput = (served(interval) * 1000) / interval.span;
  if (throughput < throughputShare * baseline.throughput) return false;
  if (baseline.p99 === null || interval.latency.count === 0) return true;
  return interval.latency.p99 <= Math.max(p99Factor * baseline.p99, baseline.p99 + p99SlackMs);
}

/** Time from the fault's end to the first of `consecutive` intervals back near the baseline, for one stream. */
function streamRecovery(stream: string, after: LoadInterval[], baselineIntervals: LoadInterval[], span: FaultSpan, watchEnd: number): StreamRecovery {
  const baseline = figuresOf(baselineIntervals);
  if (baselineIntervals.length === 0 || baseline.throughput === 0) return { stream, recovered: 'no-baseline' };
  let streak = 0;
  for (const [index, interval] of after.entries()) {
    streak = isBackToBaseline(interval, baseline) ? streak + 1 : 0;
    if (streak === consecutive) {
      const first = after[index - consecutive + 1]!;
      const at = first.t - first.span;
      return { stream, recovered: true, recoveryMs: Math.max(0, at - span.end), at };
    }
  }
  return { stream, recovered: false, watchedMs: watchEnd - span.end };
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** How long after a fault its recovery can be watched: until the run ends or the next fault begins. */
interface Watch {
  end: number;
  cutBy: string;
}

function finding(span: FaultSpan, streams: StreamRecovery[], budgetMs: number, watch: Watch): Finding | undefined {
  const measured = streams.filter((stream) => stream.recovered !== 'no-baseline');
  if (measured.length === 0) return undefined;
  const what = `${span.kind} "${span.fault}" on ${span.target}`;
  const common = { fault: span.fault, kind: span.kind, target: span.target, faultEnd: span.end, budgetMs, criteria: { throughputShare, p99Factor, p99SlackMs, consecutiveIntervals: consecutive }, streams };
  const stuck = measured.filter((stream) => stream.recovered === false);
  if (stuck.length > 0) {
    const watchedMs = watch.end - span.end;
    const names = stuck.map((stream) => stream.stream).join(', ');
    if (watchedMs < budgetMs) {
      return {
        kind: 'slow-recovery',
        severity: 'warn',
        title: `Recovery after ${what} not confirmed: ${watch.cutBy} ${seconds(watchedMs)} after it`,
        service: span.target,
        at: span.end,
        evidence: { summary: `Load (${names}) was not back to its pre-fault level when ${watch.cutBy} ${seconds(watchedMs)} after the fault; the recovery budget is ${seconds(budgetMs)}.`, recoveryMs: null, ...common },
      };
    }
    return {
      kind: 'slow-recovery',
      severity: 'fail',
      title: `No recovery after ${what}: still degraded ${seconds(watchedMs)} later`,
      service: span.target,
      at: span.end + budgetMs,
      evidence: { summary: `Load (${names}) never returned to ${throughputShare * 100}% of its pre-fault throughput of served (non-5xx) responses with p99 within ${p99Factor}x for ${consecutive} intervals in the ${seconds(watchedMs)} after the fault (budget ${seconds(budgetMs)}).`, recoveryMs: null, ...common },
    };
  }
  const recoveryMs = Math.max(...measured.map((stream) => (stream.recovered === true ? stream.recoveryMs : 0)));
  const slow = recoveryMs > budgetMs;
  return {
    kind: slow ? 'slow-recovery' : 'recovery',
    severity: slow ? 'fail' : 'info',
    title: `${slow ? 'Slow recovery' : 'Recovered'} after ${what}: ${seconds(recoveryMs)}${slow ? ` (budget ${seconds(budgetMs)})` : ''}`,
    service: span.target,
    at: span.end + recoveryMs,
    evidence: { summary: `Served throughput and p99 were back near their pre-fault level ${seconds(recoveryMs)} after the fault ended (budget ${seconds(budgetMs)}).`, recoveryMs, ...common },
  };
}

/**
 * After each fault ends, how long until the load is back to its pre-fault level: throughput of
 * served (non-5xx) responses at least 90% and p99 at most 1.5x of the baseline, for 3 intervals
 * in a row. Past the budget (AnalysisConfig.recoveryMs) it is a failure; within it, the time is
 * reported as information.
 * Assumes the offered load around the fault is steady; recovery is watched until the next fault
 * begins or the run ends, and faults still active at the end are skipped.
 */
export const recovery: Detector = {
  name: 'recovery',
  detect(run: RunData, config) {
    const budgetMs = config.recoveryMs ?? defaultRecoveryMs;
    const spans = faultSpans(run);
    const findings: Finding[] = [];
    for (const span of spans.filter((candidate) => candidate.ended)) {
      const baseline = baselineOf(run, span, spans);
      const next = spans.find((other) => other.start >= span.end && other !== span);
      const watch: Watch = next && next.start < run.endT ? { end: next.start, cutBy: `${next.kind} "${next.fault}" began` } : { end: run.endT, cutBy: 'the run ended' };
      const after = run.load.filter((interval) => midpoint(interval) >= span.end && midpoint(interval) < watch.end);
      const streams = [...new Set(run.load.map((interval) => interval.stream))].map((stream) =>
        streamRecovery(
          stream,
          after.filter((interval) => interval.stream === stream),
          baseline.filter((interval) => interval.stream === stream),
          span,
          watch.end,
        ),
      );
      const result = finding(span, streams, budgetMs, watch);
      if (result) findings.push(result);
    }
    return findings;
  },
};
