import type { RunFacts } from '../facts/builder.js';
import type { Finding } from '../types.js';
import type { BudgetCheck } from './check.js';
import { endpointBudgetChecks, loadBudgetChecks } from './load.js';
import { poolBudgetChecks } from './pools.js';
import { serviceBudgetChecks } from './services.js';

export { formatBudgetValue, type BudgetCheck } from './check.js';
export { endpointBudgetChecks, loadBudgetChecks } from './load.js';
export { poolBudgetChecks } from './pools.js';
export { liveBreach } from './live.js';

/** Every budget that applies to the run, held or broken; `findings` are the run's own (analyze()). */
export function budgetChecks(facts: RunFacts, findings: readonly Finding[]): BudgetCheck[] {
  return [...loadBudgetChecks(facts), ...endpointBudgetChecks(facts), ...poolBudgetChecks(facts), ...serviceBudgetChecks(facts, findings)];
}
