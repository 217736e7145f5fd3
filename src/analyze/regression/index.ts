export { comparisonBucketMs, heapTrend, judgedPart, leakingServices, loadBuckets, ownBucketMs, regressionBasis, type HeapBasis, type HeapTrend, type LoadBuckets, type RegressionBasis, type StreamBasis, type StreamFigures } from './basis.js';
export type { CheckOutcome, RegressionCheck, RegressionCriteria, RegressionMetric, TestedStatistic } from './check.js';
export { comparableBases, compareBases, compareRegressions, defaultRegressionCriteria, type RunFindings } from './checks.js';
export { MIN_HEAP_RISE_BYTES, MIN_HEAP_SPAN_MS } from './heap-check.js';
export { compareRuns, diffFindings, type FindingsDiff, type MetricRow, type RunComparison } from './metrics.js';
export { comparisonOutcome, type ComparisonOutcome } from './outcome.js';
