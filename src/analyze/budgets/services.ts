import { HOUR_MS, MB } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import { heapTrend } from '../regression/basis.js';
import type { Finding } from '../types.js';
import type { BudgetCheck } from './check.js';

/**
 * Budgets whose breach needs a statistical or temporal judgement (a significant heap trend, a stall
 * while the process was busy, a recovery after a fault) are decided by their detectors: the check
 * reads the verdict from the findings and shows the figure behind it.
 */

const numberIn = (finding: Finding | undefined, key: string) => (typeof finding?.evidence[key] === 'number' ? (finding.evidence[key] as number) : undefined);

function heapChecks(facts: RunFacts, findings: readonly Finding[]): BudgetCheck[] {
  const limit = facts.config.heapGrowthMBPerHour;
  if (limit === undefined) return [];
  return [...facts.services.values()]
    .filter((service) => service.probed)
    .map((service) => {
      const leak = findings.find((finding) => finding.kind === 'memory-leak' && finding.service === service.name);
      const found = numberIn(leak, 'slopeMBPerHour');
      const trend = heapTrend(facts, service.name, facts.config.warmupMs);
      const measured = found ?? (trend ? (trend.growth.slopePerMs * HOUR_MS) / MB : null);
      return {
        budget: 'heapGrowthMBPerHour',
        scope: `service ${service.name}`,
        window: 'after the warm-up',
        limit,
        unit: 'MB/h',
        measured,
        passed: found === undefined || found <= limit,
        kind: 'memory-leak',
        method: 'Theil-Sen slope of the heap after major GCs; a breach needs a significant rise (Mann-Kendall)',
      };
    });
}

/** Worst event-loop figure of each Node service over the run, and the detector's verdict on it. */
function eventLoopChecks(facts: RunFacts, findings: readonly Finding[]): BudgetCheck[] {
  const { config } = facts;
  return [...facts.services.values()]
    .filter((service) => service.probed)
    .flatMap((service) => {
      const blocked = findings.find((finding) => finding.kind === 'event-loop-blocked' && finding.service === service.name);
      const judged = (measured: number | null, limit: number) => blocked === undefined || measured === null || measured < limit;
      const method = 'worst sampled interval; stalls at startup or while the process was idle (host pauses) do not count';
      const p99 = service.loopP99.samples > 0 ? service.loopP99.high : null;
      const max = service.loopMax.samples > 0 ? service.loopMax.high : null;
      const scope = `service ${service.name}`;
      return [
        { budget: 'eventLoopP99', scope, window: 'whole run', limit: config.eventLoopP99Ms, unit: 'ms', measured: p99, passed: judged(p99, config.eventLoopP99Ms), kind: 'event-loop-blocked', method },
        { budget: 'eventLoopMax', scope, window: 'whole run', limit: config.eventLoopMaxMs, unit: 'ms', measured: max, passed: judged(max, config.eventLoopMaxMs), kind: 'event-loop-blocked', method },
      ];
    });
}

function recoveryChecks(facts: RunFacts, findings: readonly Finding[]): BudgetCheck[] {
  return findings
    .filter((finding) => finding.kind === 'recovery' || finding.kind === 'slow-recovery')
    .map((finding) => ({
      budget: 'recovery',
      scope: `fault ${String(finding.evidence.fault ?? finding.title)}`,
      window: 'after the fault',
      limit: numberIn(finding, 'budgetMs') ?? facts.config.recoveryMs ?? 0,
      unit: 'ms',
      measured: numberIn(finding, 'recoveryMs') ?? null,
      passed: finding.severity !== 'fail',
      kind: 'slow-recovery',
      method: 'time until throughput and p99 were back near their pre-fault level',
    }));
}

export function serviceBudgetChecks(facts: RunFacts, findings: readonly Finding[]): BudgetCheck[] {
  return [...heapChecks(facts, findings), ...eventLoopChecks(facts, findings), ...recoveryChecks(facts, findings)];
}
