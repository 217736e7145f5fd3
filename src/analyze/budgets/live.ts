import { formatValue } from '../../core/format.js';
import { storedScenario } from '../../store/meta.js';
import type { RunFacts } from '../facts/builder.js';
import type { BudgetCheck } from './check.js';
import { endpointBudgetChecks, loadBudgetChecks } from './load.js';
import { poolBudgetChecks } from './pools.js';

/**
 * abortOnFail: the same checks as at the end, read on the facts so far while the run goes, so a run
 * that has already failed stops instead of running on for hours. A percentile or a rate counts only
 * once its window holds MIN_REQUESTS requests over MIN_WINDOW_MS, so one slow first second does not
 * end a run; a latency maximum, a pool's waiters and an event-loop budget (by the rules of the
 * event-loop-blocked finding) count at once. Throughput floors, heap growth and recovery are judged
 * at the end only: a floor can still be met, and a trend or a recovery needs the whole run.
 */
const MIN_REQUESTS = 100;
const MIN_WINDOW_MS = 10_000;

function loadBreach(check: BudgetCheck): string | undefined {
  if (check.passed || check.measured === null || check.budget === 'minThroughput') return undefined;
  if (check.budget === 'max') return `max latency of ${check.scope}: ${formatValue(check.measured, 'ms')}, budget ${formatValue(check.limit, 'ms')}`;
  if ((check.sent ?? 0) < MIN_REQUESTS || (check.spanMs ?? 0) < MIN_WINDOW_MS) return undefined;
  if (check.unit === 'share') return `error rate of ${check.scope}: ${formatValue(check.measured, 'share')} of ${check.requests} requests so far, budget ${formatValue(check.limit, 'share')}`;
  return `${check.budget} latency of ${check.scope}: ${formatValue(check.measured, 'ms')} over ${check.requests} requests so far, budget ${formatValue(check.limit, 'ms')}`;
}

function eventLoopBreach(facts: RunFacts): string | undefined {
  const { eventLoopMax, eventLoopP99 } = storedScenario(facts.meta).budgets;
  for (const service of facts.services.values()) {
    const { firstOverMax, firstOverP99 } = service.stalls;
    if (eventLoopMax !== undefined && firstOverMax) return `eventLoopMax of ${service.name}: ${formatValue(firstOverMax.maxMs, 'ms')} in one interval (pid ${firstOverMax.pid}), budget ${formatValue(eventLoopMax, 'ms')}`;
    if (eventLoopP99 !== undefined && firstOverP99) return `eventLoopP99 of ${service.name}: ${formatValue(firstOverP99.p99Ms, 'ms')} in one interval (pid ${firstOverP99.pid}), budget ${formatValue(eventLoopP99, 'ms')}`;
  }
  return undefined;
}

/** The first budget the facts so far have broken for good, in one line; undefined while none has. */
export function liveBreach(facts: RunFacts): string | undefined {
  for (const check of [...loadBudgetChecks(facts), ...endpointBudgetChecks(facts)]) {
    const breach = loadBreach(check);
    if (breach) return breach;
  }
  const pool = poolBudgetChecks(facts).find((check) => !check.passed);
  if (pool) return `poolWaiting of ${pool.scope}: ${pool.measured} callers waiting, budget ${formatValue(pool.limit, 'waiting')}`;
  return eventLoopBreach(facts);
}
