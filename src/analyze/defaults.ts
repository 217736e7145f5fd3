import type { RegressionCriteria } from './regression/checks.js';
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
 * - +10 % p99, -10 % throughput: runs of the same build on a shared CI machine differ by a few percent;
 *   10 % is above that noise and is a change users notice.
 * - +0.5 percentage points of errors: half the default 1 % error budget.
 * - +5 MB/h heap slope: the memory-leak detector's own threshold (minLeakMBPerHour).
 */
export const defaultRegressionCriteria: RegressionCriteria = {
  alpha: 0.01,
  minP99Increase: 0.1,
  minThroughputDrop: 0.1,
  minErrorRateIncrease: 0.005,
  minHeapSlopeIncreaseMBPerHour: 5,
  warmupMs: 10_000,
};
