import type { AnalysisConfig, RunData } from '../types.js';
import { describeWindow, windowIntervals } from '../window.js';
import type { BudgetCheck } from './check.js';
import { latencyAndErrorChecks } from './load.js';

/**
 * The budgets of each endpoint named under `endpoints`, over its window, judged on that endpoint's
 * share of every interval (of any stream) that has one: histograms merged, errors over sent.
 * An endpoint no interval has fails its budgets, as a misspelt stream does.
 */
export function endpointBudgetChecks(run: RunData, config: AnalysisConfig): BudgetCheck[] {
  const recorded = [...new Set(run.load.flatMap((interval) => Object.keys(interval.endpoints ?? {})))];
  return Object.entries(config.endpoints ?? {}).flatMap(([endpoint, budgets]) => {
    const window = budgets.window ?? config.window;
    const shares = windowIntervals(run, window).flatMap((interval) => interval.endpoints?.[endpoint] ?? []);
    const checks = latencyAndErrorChecks(`endpoint ${endpoint}`, shares, budgets, window).map((check) => ({ ...check, endpoint }));
    const missing = !recorded.includes(endpoint)
      ? `the run has no endpoint named "${endpoint}" (endpoints: ${recorded.join(', ') || 'none'}; figures by endpoint are kept for http streams with more than one request)`
      : shares.length === 0 && window
        ? `no interval of endpoint "${endpoint}" in the ${describeWindow(window)}`
        : undefined;
    return missing ? checks.map((check) => ({ ...check, passed: false, method: missing })) : checks;
  });
}
