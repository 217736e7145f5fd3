import type { AnalysisConfig, Finding, RunData } from '../types.js';
import type { BudgetCheck } from './check.js';
import { endpointBudgetChecks } from './endpoints.js';
import { loadBudgetChecks } from './load.js';
import { poolBudgetChecks } from './pools.js';
import { serviceBudgetChecks } from './services.js';

export { formatBudgetValue, type BudgetCheck } from './check.js';
export { endpointBudgetChecks } from './endpoints.js';
export { errorRateOf, loadBudgetChecks, throughputOf } from './load.js';
export { poolBudgetChecks } from './pools.js';

/** Every budget that applies to the run, held or broken; `findings` are the run's own (analyze()). */
export function budgetChecks(run: RunData, config: AnalysisConfig, findings: Finding[]): BudgetCheck[] {
  return [...loadBudgetChecks(run, config), ...endpointBudgetChecks(run, config), ...poolBudgetChecks(run, config), ...serviceBudgetChecks(run, config, findings)];
}
