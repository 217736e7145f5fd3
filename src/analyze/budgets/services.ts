import { heapTrend } from '../regression/basis.js';
import type { AnalysisConfig, Finding, RunData } from '../types.js';
import { HOUR_MS, MB } from '../words.js';
import type { BudgetCheck } from './check.js';

/**
 * Budgets whose breach needs a statistical or temporal judgement (a significant heap trend, a stall
 * while the process was busy, a recovery after a fault) are decided by their detectors: the check
 * reads the verdict from the findings and shows the figure behind it.
 */

const numberIn = (finding: Finding | undefined, key: string) => (typeof finding?.evidence[key] === 'number' ? (finding.evidence[key] as number) : undefined);

function heapChecks(run: RunData, config: AnalysisConfig, findings: Finding[]): BudgetCheck[] {
  const limit = config.heapGrowthMBPerHour;
  if (limit === undefined) return [];
  return [...run.node.keys()].map((service) => {
    const leak = findings.find((finding) => finding.kind === 'memory-leak' && finding.service === service);
    const found = numberIn(leak, 'slopeMBPerHour');
    const trend = heapTrend(run.node.get(service)!, config.warmupMs, run.meta.sampleIntervalMs);
    const measured = found ?? (trend ? (trend.growth.slopePerMs * HOUR_MS) / MB : null);
    return {
      budget: 'heapGrowthMBPerHour',
      scope: `service ${service}`,
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
function eventLoopChecks(run: RunData, config: AnalysisConfig, findings: Finding[]): BudgetCheck[] {
  return [...run.node.entries()].flatMap(([service, samples]) => {
    const blocked = findings.find((finding) => finding.kind === 'event-loop-blocked' && finding.service === service);
    const worst = (pick: (sample: (typeof samples)[number]) => number) => samples.reduce<number | null>((top, sample) => Math.max(top ?? -Infinity, pick(sample)), null);
    const judged = (measured: number | null, limit: number) => blocked === undefined || measured === null || measured < limit;
    const method = 'worst sampled interval; stalls at startup or while the process was idle (host pauses) do not count';
    const p99 = worst((sample) => sample.eventLoop.p99);
    const max = worst((sample) => sample.eventLoop.max);
    return [
      { budget: 'eventLoopP99', scope: `service ${service}`, window: 'whole run', limit: config.eventLoopP99Ms, unit: 'ms', measured: p99, passed: judged(p99, config.eventLoopP99Ms), kind: 'event-loop-blocked', method },
      { budget: 'eventLoopMax', scope: `service ${service}`, window: 'whole run', limit: config.eventLoopMaxMs, unit: 'ms', measured: max, passed: judged(max, config.eventLoopMaxMs), kind: 'event-loop-blocked', method },
    ];
  });
}

function recoveryChecks(config: AnalysisConfig, findings: Finding[]): BudgetCheck[] {
  return findings
    .filter((finding) => finding.kind === 'recovery' || finding.kind === 'slow-recovery')
    .map((finding) => ({
      budget: 'recovery',
      scope: `fault ${String(finding.evidence.fault ?? finding.title)}`,
      window: 'after the fault',
      limit: numberIn(finding, 'budgetMs') ?? config.recoveryMs ?? 0,
      unit: 'ms',
      measured: numberIn(finding, 'recoveryMs') ?? null,
      passed: finding.severity !== 'fail',
      kind: 'slow-recovery',
      method: 'time until throughput and p99 were back near their pre-fault level',
    }));
}

export function serviceBudgetChecks(run: RunData, config: AnalysisConfig, findings: Finding[]): BudgetCheck[] {
  return [...heapChecks(run, config, findings), ...eventLoopChecks(run, config, findings), ...recoveryChecks(config, findings)];
}
