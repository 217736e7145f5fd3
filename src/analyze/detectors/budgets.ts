import { formatBudgetValue, type BudgetCheck } from '../budgets/check.js';
import { endpointBudgetChecks, loadBudgetChecks } from '../budgets/load.js';
import { poolBudgetChecks } from '../budgets/pools.js';
import type { RunFacts } from '../facts/builder.js';
import type { Detector, Finding } from '../types.js';

/**
 * The budgets no other detector judges: the load budgets of single streams and endpoints, the
 * throughput floor and pool waiting, and a run that abortOnFail stopped. (The latency and error budgets of all streams together are the latency-budget and
 * error-rate detectors'.)
 */
const ownedHere = (check: BudgetCheck) => check.scope !== 'all streams' || check.budget === 'minThroughput';

function finding(check: BudgetCheck): Finding {
  const measured = formatBudgetValue(check.measured, check.unit);
  const limit = formatBudgetValue(check.limit, check.unit);
  const floor = check.budget === 'minThroughput';
  return {
    kind: check.kind,
    severity: 'fail',
    title: check.measured === null ? `${check.budget} of ${check.scope} not met: ${check.method}` : `${check.budget} of ${check.scope} ${measured} ${floor ? 'under the floor of' : 'over the budget of'} ${limit}`,
    // "pool pg of api": the service is the pool's; stream and endpoint names are free text and may hold " of ".
    ...(check.scope.startsWith('pool ') ? { service: check.scope.split(' of ').at(-1) } : {}),
    evidence: {
      summary: `${check.budget} of ${check.scope} over the ${check.window} was ${measured} (${check.method}); the budget ${floor ? 'asks for at least' : 'allows at most'} ${limit}.`,
      budget: check.budget,
      scope: check.scope,
      window: check.window,
      measured: check.measured,
      limit: check.limit,
      unit: check.unit,
      ...(check.endpoint !== undefined ? { endpoint: check.endpoint } : {}),
    },
  };
}

/** abortOnFail stopped the run: it failed on the data seen then, whatever the shortened run adds up to. */
function aborted(facts: RunFacts): Finding[] {
  const { end } = facts;
  if (end?.reason !== 'aborted') return [];
  return [{ kind: 'budget-abort', severity: 'fail', title: 'Run stopped early: a budget was broken', at: end.t, evidence: { summary: end.message ?? 'The run was stopped by abortOnFail.', stoppedAt: end.t } }];
}

export const budgets: Detector = {
  name: 'budgets',
  detect(facts) {
    const broken = [...loadBudgetChecks(facts), ...endpointBudgetChecks(facts), ...poolBudgetChecks(facts)].filter((check) => ownedHere(check) && !check.passed);
    return [...aborted(facts), ...broken.map(finding)];
  },
};
