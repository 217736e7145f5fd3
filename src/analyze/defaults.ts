import type { RegressionCriteria } from './regression/check.js';
import type { AnalysisConfig } from './types.js';

/** Every default of the analysis, in one place, each with its reason. */

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

/** Longest time from the end of a fault until the load is back near its pre-fault level: ten 1-s intervals. */
export const DEFAULT_RECOVERY_MS = 10_000;

/**
 * - alpha 0.01: a gate tests several metrics per stream and service; 1 % false alarms per metric keeps it trusted.
 * - +25 % p99: two 20-s runs of one build on this shared 2-core machine read +10.8 % and +13.6 % at
 *   p < 0.01 (the buckets vary within a run, the machine between runs, which no per-bucket test of
 *   one run each can see); a quarter more is above that and a change users notice.
 * - -10 % throughput: both runs are offered the same load, so a healthy build serves within a few percent of it.
 * - +0.5 percentage points of errors: half the default 1 % error budget.
 * - +5 MB/h heap slope: the memory-leak detector's own threshold (minLeakMBPerHour).
 * Large effects, a regression over the whole run however few the buckets (a fault window fills two or
 * three of them, and a short run has too few for any test):
 * - p99 ×2: a doubled p99 is what every user of the slowest 1 % notices; two runs of one build on this
 *   shared 2-core machine stay well inside it. A single stall can still double a short run's p99, so
 *   the change must also fill two buckets (regression/effect.ts).
 * - throughput -30 %: both runs are offered the same load, so a healthy build serves within a few
 *   percent of it; a third of it unserved over the whole run is a failure, and no short stall causes it.
 * - error rate +5 points: five times the default 1 % error budget; a healthy service fails next to
 *   nothing, so noise does not come near it.
 */
export const defaultRegressionCriteria: RegressionCriteria = {
  alpha: 0.01,
  minP99Increase: 0.25,
  minThroughputDrop: 0.1,
  minErrorRateIncrease: 0.005,
  minHeapSlopeIncreaseMBPerHour: 5,
  largeP99Increase: 1,
  largeThroughputDrop: 0.3,
  largeErrorRateIncrease: 0.05,
  warmupMs: 10_000,
};
