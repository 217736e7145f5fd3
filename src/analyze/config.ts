import type { ScenarioParsed } from '../scenario/schema.js';
import { defaultAnalysisConfig } from './defaults.js';
import type { AnalysisConfig, StreamBudgets } from './types.js';

export { defaultAnalysisConfig } from './defaults.js';

type Budgets = Partial<ScenarioParsed['budgets']>;
type Analysis = Partial<ScenarioParsed['analysis']>;

function latencyBudgets(budgets: Partial<Record<'p50' | 'p90' | 'p99' | 'max', number>>): AnalysisConfig['latency'] {
  const latency: AnalysisConfig['latency'] = {};
  for (const key of ['p50', 'p90', 'p99', 'max'] as const) {
    const budget = budgets[key];
    if (budget !== undefined) latency[key] = budget;
  }
  return latency;
}

/** Budgets by stream or endpoint name. */
function namedBudgets(named: NonNullable<Budgets['streams']>): Record<string, StreamBudgets> {
  return Object.fromEntries(
    Object.entries(named).map(([name, budgets]) => [
      name,
      {
        latency: latencyBudgets(budgets),
        ...(budgets.errorRate !== undefined ? { errorRate: budgets.errorRate } : {}),
        ...(budgets.minThroughput !== undefined ? { minThroughput: budgets.minThroughput } : {}),
        ...(budgets.phases ? { window: budgets.phases } : {}),
      },
    ]),
  );
}

/** The scenario's budgets and analysis settings (durations already in ms) over the defaults. */
export function configFromScenario(budgets: Budgets, analysis: Analysis): AnalysisConfig {
  const defaults = defaultAnalysisConfig();
  const latency = latencyBudgets(budgets);
  return {
    warmupMs: analysis.warmup ?? defaults.warmupMs,
    alpha: analysis.alpha ?? defaults.alpha,
    minLeakMBPerHour: analysis.minLeakMBPerHour ?? defaults.minLeakMBPerHour,
    eventLoopMaxMs: budgets.eventLoopMax ?? defaults.eventLoopMaxMs,
    eventLoopP99Ms: budgets.eventLoopP99 ?? defaults.eventLoopP99Ms,
    errorRate: budgets.errorRate ?? defaults.errorRate,
    latency,
    ...(budgets.heapGrowthMBPerHour !== undefined ? { heapGrowthMBPerHour: budgets.heapGrowthMBPerHour } : {}),
    ...(budgets.recovery !== undefined ? { recoveryMs: budgets.recovery } : {}),
    ...(budgets.phases ? { window: budgets.phases } : {}),
    ...(budgets.minThroughput !== undefined ? { minThroughput: budgets.minThroughput } : {}),
    ...(budgets.poolWaiting !== undefined ? { poolWaiting: budgets.poolWaiting } : {}),
    ...(budgets.streams ? { streams: namedBudgets(budgets.streams) } : {}),
    ...(budgets.endpoints ? { endpoints: namedBudgets(budgets.endpoints) } : {}),
  };
}
