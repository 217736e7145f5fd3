export { analyze } from './analyze.js';
export { configFromScenario, defaultAnalysisConfig } from './config.js';
export { detectors } from './detectors/index.js';
export { decodeHdr, latencyKeys, latencyMs, mergedLatency, mergeHdr, valueMs, type LatencyKey, type LatencyMs } from './hdr.js';
export { bucketSeries, mannKendall, median, quantile, theilSen, trendBucketMs, type MannKendall, type Point, type TheilSen } from './stats/index.js';
export type { AnalysisConfig, Detector, Finding, FindingKind, RunData, Severity } from './types.js';
export { budgetChecks, formatBudgetValue, type BudgetCheck } from './budgets/index.js';
export { compareRegressions, defaultRegressionCriteria, heapTrend, regressionBasis, type RegressionBasis, type RegressionCheck, type RegressionCriteria } from './regression/index.js';
export { describeWindow, phaseSpans, windowContains, windowIntervals } from './window.js';
