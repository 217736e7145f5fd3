import type { RunFacts } from '../facts/builder.js';
import { describeWindow, windowContains } from '../facts/spans.js';
import type { BudgetCheck } from './check.js';

/** The most callers waiting at once for each pool of each service, over the window, against poolWaiting. */
export function poolBudgetChecks(facts: RunFacts): BudgetCheck[] {
  const { config } = facts;
  const limit = config.poolWaiting;
  if (limit === undefined) return [];
  const inWindow = windowContains(facts.phases, config.window, facts.endT);
  const window = describeWindow(config.window);
  const checks: BudgetCheck[] = [];
  for (const service of facts.services.values()) {
    for (const [pool, series] of service.pools) {
      const peak = series.waiting.highest(inWindow);
      if (peak === undefined) continue;
      checks.push({ budget: 'poolWaiting', scope: `pool ${pool} of ${service.name}`, window, limit, unit: 'waiting', measured: peak, passed: peak <= limit, kind: 'pool-waiting', method: 'most callers waiting at once in a sample' });
    }
  }
  if (checks.length === 0) {
    checks.push({ budget: 'poolWaiting', scope: 'pools', window, limit, unit: 'waiting', measured: null, passed: true, kind: 'pool-waiting', method: 'no service reported a pool' });
  }
  return checks;
}
