import type { AnalysisConfig, RunData } from '../types.js';
import { describeWindow, windowContains } from '../window.js';
import type { BudgetCheck } from './check.js';

/** The most callers waiting at once for each pool of each service, over the window, against poolWaiting. */
export function poolBudgetChecks(run: RunData, config: AnalysisConfig): BudgetCheck[] {
  const limit = config.poolWaiting;
  if (limit === undefined) return [];
  const inWindow = windowContains(run, config.window);
  const window = describeWindow(config.window);
  const checks: BudgetCheck[] = [];
  for (const [service, samples] of run.node) {
    const peaks = new Map<string, number>();
    for (const sample of samples) {
      if (!inWindow(sample.t)) continue;
      for (const [pool, reading] of Object.entries(sample.pools ?? {})) peaks.set(pool, Math.max(peaks.get(pool) ?? 0, reading.waiting));
    }
    for (const [pool, peak] of peaks) {
      checks.push({ budget: 'poolWaiting', scope: `pool ${pool} of ${service}`, window, limit, unit: 'waiting', measured: peak, passed: peak <= limit, kind: 'pool-waiting', method: 'most callers waiting at once in a sample' });
    }
  }
  if (checks.length === 0) {
    checks.push({ budget: 'poolWaiting', scope: 'pools', window, limit, unit: 'waiting', measured: null, passed: true, kind: 'pool-waiting', method: 'no service reported a pool' });
  }
  return checks;
}
