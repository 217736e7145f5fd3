import type { RunFacts } from '../facts/builder.js';
import { defaultRegressionCriteria } from '../defaults.js';
import type { Finding } from '../types.js';
import { comparisonBucketMs, judgedSpan, regressionBasis, type JudgedPart, type RegressionBasis } from './basis.js';
import type { RegressionCheck, RegressionCriteria } from './check.js';
import { heapCheck } from './heap-check.js';
import { loadCheck } from './load-check.js';
import { loadRules } from './load-rules.js';

export { defaultRegressionCriteria } from '../defaults.js';

/**
 * Every stream and Node service two bases share, compared metric by metric: p99 latency, throughput
 * and error rate over equal buckets and over the whole run, and the slope of the post-GC heap. Pure:
 * the same two bases give the same checks, and swapping them turns each regression into an improvement.
 * `at` stamps the findings (the end of the run judged).
 */
export function compareBases(baseline: RegressionBasis, run: RegressionBasis, criteria: RegressionCriteria, at: number): RegressionCheck[] {
  const rules = loadRules(criteria);
  const checks: RegressionCheck[] = [];
  for (const [stream, after] of Object.entries(run.streams)) {
    const before = baseline.streams[stream];
    if (!before) continue;
    for (const rule of rules) checks.push(loadCheck(rule, stream, rule.sample(before), rule.sample(after), criteria, run.bucketMs, at));
  }
  const services = new Set([...Object.keys(run.heap), ...Object.keys(baseline.heap)]);
  for (const service of services) checks.push(heapCheck(service, baseline.heap[service], run.heap[service], criteria, at));
  return checks;
}

/** Each run's findings, so that its heap line carries its memory-leak verdict. */
export interface RunFindings {
  baseline?: readonly Finding[];
  run?: readonly Finding[];
}

/**
 * The two bases a run is compared on. Two runs on disk are bucketed alike (by the shorter of them);
 * a basis stored in a baseline's summary.json keeps its own bucket, and the run is bucketed to match it.
 */
export function comparableBases(baseline: RunFacts | RegressionBasis, run: RunFacts, part: JudgedPart, findings: RunFindings = {}): { before: RegressionBasis; after: RegressionBasis } {
  if (!('load' in baseline)) return { before: baseline, after: regressionBasis(run, part, { bucketMs: baseline.bucketMs, findings: findings.run }) };
  const bucketMs = comparisonBucketMs(Math.min(judgedSpan(baseline, part), judgedSpan(run, part)), run.load.intervalMs ?? run.meta.sampleIntervalMs);
  return { before: regressionBasis(baseline, part, { bucketMs, findings: findings.baseline }), after: regressionBasis(run, part, { bucketMs, findings: findings.run }) };
}

/** A run against its baseline: a run read back from disk, or the basis kept in a baseline's summary.json. */
export function compareRegressions(baseline: RunFacts | RegressionBasis, run: RunFacts, criteria: RegressionCriteria = defaultRegressionCriteria, findings: RunFindings = {}): RegressionCheck[] {
  const { before, after } = comparableBases(baseline, run, criteria, findings);
  return compareBases(before, after, criteria, run.endT);
}
