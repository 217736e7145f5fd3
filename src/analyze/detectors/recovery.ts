import type { RunFacts } from '../facts/builder.js';
import { RECOVERY_INTERVALS, RECOVERY_P99_FACTOR, RECOVERY_P99_SLACK_MS, RECOVERY_THROUGHPUT_SHARE, type StreamRecovery } from '../facts/faults.js';
import type { FaultSpan } from '../facts/spans.js';
import { DEFAULT_RECOVERY_MS } from '../defaults.js';
import type { Detector, Finding } from '../types.js';


const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** How long after a fault its recovery can be watched: until the run ends or the next fault begins. */
interface Watch {
  end: number;
  cutBy: string;
}

function finding(span: FaultSpan & { end: number }, streams: StreamRecovery[], budgetMs: number, watch: Watch): Finding | undefined {
  const measured = streams.filter((stream) => stream.recovered !== 'no-baseline');
  if (measured.length === 0) return undefined;
  const what = `${span.kind} "${span.fault}" on ${span.target}`;
  const criteria = { throughputShare: RECOVERY_THROUGHPUT_SHARE, p99Factor: RECOVERY_P99_FACTOR, p99SlackMs: RECOVERY_P99_SLACK_MS, consecutiveIntervals: RECOVERY_INTERVALS };
  const common = { fault: span.fault, kind: span.kind, target: span.target, faultEnd: span.end, budgetMs, criteria, streams };
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
      evidence: { summary: `Load (${names}) never returned to ${RECOVERY_THROUGHPUT_SHARE * 100}% of its pre-fault throughput of served (non-5xx) responses with p99 within ${RECOVERY_P99_FACTOR}x for ${RECOVERY_INTERVALS} intervals in the ${seconds(watchedMs)} after the fault (budget ${seconds(budgetMs)}).`, recoveryMs: null, ...common },
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
  detect(facts: RunFacts) {
    const budgetMs = facts.config.recoveryMs ?? DEFAULT_RECOVERY_MS;
    const findings: Finding[] = [];
    for (const load of facts.faultLoad) {
      const { span } = load;
      if (span.end === null) continue;
      const next = facts.faults.find((other) => other !== span && other.start >= span.end!);
      const watch: Watch = next && next.start < facts.endT ? { end: next.start, cutBy: `${next.kind} "${next.fault}" began` } : { end: facts.endT, cutBy: 'the run ended' };
      const result = finding({ ...span, end: span.end }, load.recoveries(facts.load.streams.keys(), watch.end, facts.recent), budgetMs, watch);
      if (result) findings.push(result);
    }
    return findings;
  },
};
