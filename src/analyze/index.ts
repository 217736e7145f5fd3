export { analyze } from './analyze.js';
export { configFromScenario, defaultAnalysisConfig } from './config.js';
export { detectors } from './detectors/index.js';
export { decodeHdr, latencyKeys, latencyMs, mergedLatency, mergeHdr, valueMs, type LatencyKey, type LatencyMs } from './hdr.js';
export { bucketSeries, mannKendall, median, quantile, theilSen, trendBucketMs, type MannKendall, type Point, type TheilSen } from './stats/index.js';
export type { AnalysisConfig, Detector, Finding, FindingKind, RunData, Severity } from './types.js';
