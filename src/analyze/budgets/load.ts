import { LATENCY_KEYS } from '../../core/hdr.js';
import type { RunFacts } from '../facts/builder.js';
import { errorRateOf, throughputOf } from '../facts/figures.js';
import { cellsIn, endpointCellsIn, endpointNames, tallyOf } from '../facts/queries.js';
import { describeWindow } from '../facts/spans.js';
import type { LoadTally } from '../facts/tally.js';
import type { EndpointBudgets, StreamBudgets } from '../types.js';
import type { BudgetCheck } from './check.js';

/** The latency and error-rate budgets of one scope, judged on its cells merged. */
function latencyAndErrorChecks(scope: string, tally: LoadTally, budgets: EndpointBudgets, window: readonly string[] | undefined): BudgetCheck[] {
  const windowText = describeWindow(window);
  const seen = { sent: tally.sent, spanMs: tally.spanMs };
  const checks: BudgetCheck[] = [];
  const latencyBudgets = LATENCY_KEYS.filter((key) => budgets.latency[key] !== undefined);
  if (latencyBudgets.length > 0) {
    const latency = tally.summary();
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
        ...seen,
        requests: latency.count,
      });
    }
  }
  if (budgets.errorRate !== undefined) {
    const measured = errorRateOf(tally);
    checks.push({
      budget: 'errorRate',
      scope,
      window: windowText,
      limit: budgets.errorRate,
      unit: 'share',
      measured,
      passed: measured === null || measured <= budgets.errorRate,
      kind: 'error-rate',
      method: measured === null ? 'no request sent in the window' : 'errors and timeouts over the requests of the window',
      ...seen,
      requests: tally.sent,
    });
  }
  return checks;
}

/**
 * The load budgets of all streams together (the scenario's own, with the 1 % default error budget)
 * and of each stream named under `streams`, each over its window. A stream budget without a window
 * takes the scenario's. A stream that the run does not have fails its budgets: a misspelt name must not pass.
 */
export function loadBudgetChecks(facts: RunFacts): BudgetCheck[] {
  const { config } = facts;
  const all: StreamBudgets = { latency: config.latency, errorRate: config.errorRate, ...(config.minThroughput !== undefined ? { minThroughput: config.minThroughput } : {}) };
  const scopes = [{ scope: 'all streams', stream: undefined as string | undefined, budgets: all, window: config.window }];
  for (const [stream, budgets] of Object.entries(config.streams ?? {})) scopes.push({ scope: `stream ${stream}`, stream, budgets, window: budgets.window ?? config.window });
  const streams = [...facts.load.streams.keys()];
  const phases = [...new Set([...facts.load.cells.values()].map((cell) => cell.phase))];
  return scopes.flatMap(({ scope, stream, budgets, window }) => {
    const cells = cellsIn(facts, window, stream);
    const tally = tallyOf(cells);
    const checks = latencyAndErrorChecks(scope, tally, budgets, window);
    if (budgets.minThroughput !== undefined) {
      const measured = cells.length > 0 ? throughputOf(cells.map((cell) => ({ stream: cell.stream, count: cell.tally.completed, spanMs: cell.tally.spanMs }))) : null;
      checks.push({
        budget: 'minThroughput',
        scope,
        window: describeWindow(window),
        limit: budgets.minThroughput,
        unit: 'req/s',
        measured,
        passed: measured !== null && measured >= budgets.minThroughput,
        kind: 'throughput-budget',
        method: measured === null ? 'no load recorded in the window' : 'completed requests per second (a floor)',
      });
    }
    // Nothing to judge is a broken budget when the name is at fault: a misspelt stream or phase must not pass.
    const missing =
      stream !== undefined && !streams.includes(stream)
        ? `the run has no stream named "${stream}" (streams: ${streams.join(', ') || 'none'})`
        : cells.length === 0 && window && facts.load.cells.size > 0
          ? `no load interval in the ${describeWindow(window)} (phases: ${phases.join(', ')})`
          : undefined;
    return missing ? checks.map((check) => ({ ...check, passed: false, method: missing })) : checks;
  });
}

/**
 * The budgets of each endpoint named under `endpoints`, over its window, judged on that endpoint's
 * share of every interval (of any stream) that has one: histograms merged, errors over requests.
 * An endpoint no interval has fails its budgets, as a misspelt stream does.
 */
export function endpointBudgetChecks(facts: RunFacts): BudgetCheck[] {
  const { config } = facts;
  const recorded = endpointNames(facts);
  return Object.entries(config.endpoints ?? {}).flatMap(([endpoint, budgets]) => {
    const window = budgets.window ?? config.window;
    const cells = endpointCellsIn(facts, endpoint, window);
    const checks = latencyAndErrorChecks(`endpoint ${endpoint}`, tallyOf(cells), budgets, window).map((check) => ({ ...check, endpoint }));
    const missing = !recorded.includes(endpoint)
      ? `the run has no endpoint named "${endpoint}" (endpoints: ${recorded.join(', ') || 'none'}; figures by endpoint are kept for http streams with more than one request)`
      : cells.length === 0 && window
        ? `no interval of endpoint "${endpoint}" in the ${describeWindow(window)}`
        : undefined;
    return missing ? checks.map((check) => ({ ...check, passed: false, method: missing })) : checks;
  });
}
