import type { LoadInterval } from '../../store/records.js';
import { latencyKeys, mergedLatency } from '../hdr.js';
import type { AnalysisConfig, EndpointBudgets, RunData, StreamBudgets } from '../types.js';
import { describeWindow, windowIntervals } from '../window.js';
import type { BudgetCheck } from './check.js';

/** Completed per second of each stream over the time its own intervals cover, summed: streams run side by side. */
export function throughputOf(intervals: readonly LoadInterval[]): number {
  const streams = new Map<string, { completed: number; spanMs: number }>();
  for (const interval of intervals) {
    const stream = streams.get(interval.stream) ?? { completed: 0, spanMs: 0 };
    stream.completed += interval.completed;
    stream.spanMs += interval.span;
    streams.set(interval.stream, stream);
  }
  return [...streams.values()].reduce((sum, stream) => sum + (stream.spanMs > 0 ? (stream.completed * 1000) / stream.spanMs : 0), 0);
}

/** The counts a share of the load has, whether a stream's interval or one endpoint's part of it. */
export type LoadCounts = Pick<LoadInterval, 'sent' | 'errors' | 'timeouts' | 'hdr'>;

export function errorRateOf(intervals: readonly LoadCounts[]): number | null {
  const sent = intervals.reduce((sum, interval) => sum + interval.sent, 0);
  const failed = intervals.reduce((sum, interval) => sum + interval.errors + interval.timeouts, 0);
  return sent > 0 ? failed / sent : null;
}

/** The latency and error-rate budgets of one scope, judged on its intervals merged. */
export function latencyAndErrorChecks(scope: string, intervals: readonly LoadCounts[], budgets: EndpointBudgets, window: string[] | undefined): BudgetCheck[] {
  const windowText = describeWindow(window);
  const checks: BudgetCheck[] = [];
  const latencyBudgets = latencyKeys.filter((key) => budgets.latency[key] !== undefined);
  if (latencyBudgets.length > 0) {
    const latency = mergedLatency(intervals.map((interval) => interval.hdr));
    for (const key of latencyBudgets) {
      const measured = latency[key];
      const limit = budgets.latency[key]!;
      checks.push({
        budget: key,
        scope,
        window: windowText,
        limit,
        unit: 'ms',
        measured,
        passed: measured === null || measured <= limit,
        kind: 'latency-budget',
        method: measured === null ? 'no request completed in the window' : `${key} of ${latency.count} requests, interval histograms merged`,
      });
    }
  }
  if (budgets.errorRate !== undefined) {
    const measured = errorRateOf(intervals);
    checks.push({
      budget: 'errorRate',
      scope,
      window: windowText,
      limit: budgets.errorRate,
      unit: 'share',
      measured,
      passed: measured === null || measured <= budgets.errorRate,
      kind: 'error-rate',
      method: measured === null ? 'no request sent in the window' : 'errors and timeouts over requests sent',
    });
  }
  return checks;
}

function scopeChecks(scope: string, intervals: readonly LoadInterval[], budgets: StreamBudgets, window: string[] | undefined): BudgetCheck[] {
  const windowText = describeWindow(window);
  const checks = latencyAndErrorChecks(scope, intervals, budgets, window);
  if (budgets.minThroughput !== undefined) {
    const measured = intervals.length > 0 ? throughputOf(intervals) : null;
    checks.push({
      budget: 'minThroughput',
      scope,
      window: windowText,
      limit: budgets.minThroughput,
      unit: 'req/s',
      measured,
      passed: measured !== null && measured >= budgets.minThroughput,
      kind: 'throughput-budget',
      method: measured === null ? 'no load recorded in the window' : 'completed requests per second (a floor)',
    });
  }
  return checks;
}

/**
 * The load budgets of all streams together (the scenario's own, with the 1 % default error budget)
 * and of each stream named under `streams`, each over its window. A stream budget without a window
 * takes the scenario's. A stream that the run does not have fails its budgets: a misspelt name must not pass.
 */
export function loadBudgetChecks(run: RunData, config: AnalysisConfig): BudgetCheck[] {
  const all: StreamBudgets = { latency: config.latency, errorRate: config.errorRate, ...(config.minThroughput !== undefined ? { minThroughput: config.minThroughput } : {}) };
  const scopes = [{ scope: 'all streams', stream: undefined as string | undefined, budgets: all, window: config.window }];
  for (const [stream, budgets] of Object.entries(config.streams ?? {})) scopes.push({ scope: `stream ${stream}`, stream, budgets, window: budgets.window ?? config.window });
  const streams = [...new Set(run.load.map((interval) => interval.stream))];
  const phases = [...new Set(run.load.map((interval) => interval.phase))];
  return scopes.flatMap(({ scope, stream, budgets, window }) => {
    const intervals = windowIntervals(run, window, stream);
    const checks = scopeChecks(scope, intervals, budgets, window);
    // Nothing to judge is a broken budget when the name is at fault: a misspelt stream or phase must not pass.
    const missing =
      stream !== undefined && !streams.includes(stream)
        ? `the run has no stream named "${stream}" (streams: ${streams.join(', ') || 'none'})`
        : intervals.length === 0 && window && run.load.length > 0
          ? `no load interval in the ${describeWindow(window)} (phases: ${phases.join(', ')})`
          : undefined;
    return missing ? checks.map((check) => ({ ...check, passed: false, method: missing })) : checks;
  });
}
