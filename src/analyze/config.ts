import type { ScenarioParsed } from '../scenario/schema.js';
import type { AnalysisConfig, StreamBudgets } from './types.js';

/**
 * Defaults, each with its reason:
 * - warmupMs 10 s: JIT and first allocations settle within seconds; slower fills (caches, pools) are
 *   caught by the leak detectors' second-half test rather than by a long warm-up that short runs cannot afford.
 * - alpha 0.01: every run tests many series (heap and each handle type, per process), and bucket medians
 *   are still somewhat autocorrelated; real leaks reach p < 0.001 within a few dozen buckets anyway.
 * - minLeakMBPerHour 5: the seeds' leaks run at 50-100 MB/h; 5 MB/h is 40 MB over an 8 h soak, well
 *   above post-GC noise, and short runs are guarded by the memory detector's 1 MB minimum rise.
 * - eventLoopMaxMs 100: Clinic Doctor's threshold; a 100 ms stall is visible in every request's latency.
 * - eventLoopP99Ms 50: a loop whose slowest 1 % of turns take 50 ms is saturated, not just unlucky.
 * - errorRate 1 %: a service under a load it is sized for answers at least 99 % of requests.
 */
export function defaultAnalysisConfig(): AnalysisConfig {
  return {
    warmupMs: 10_000,
    alpha: 0.01,
    minLeakMBPerHour: 5,
    eventLoopMaxMs: 100,
    eventLoopP99Ms: 50,
    errorRate: 0.01,
    latency: {},
  };
}

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
