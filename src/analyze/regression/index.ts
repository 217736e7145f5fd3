export { comparisonBucketMs, heapTrend, loadBuckets, ownBucketMs, regressionBasis, type HeapBasis, type HeapTrend, type LoadBuckets, type RegressionBasis, type StreamBasis, type StreamFigures } from './basis.js';
export { comparableBases, compareBases, compareRegressions, defaultRegressionCriteria, type RegressionCheck, type RegressionCriteria, type RegressionMetric } from './checks.js';
export { compareRuns, diffFindings, type FindingsDiff, type MetricRow, type RunComparison } from './metrics.js';
