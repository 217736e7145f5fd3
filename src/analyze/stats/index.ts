export { bucketSeries, trendBucketMs, MAX_TREND_POINTS, type BucketReducer } from './buckets.js';
export { kendall, type Kendall } from './kendall.js';
export { mannKendall, type MannKendall } from './mann-kendall.js';
export { normalQuantile, normalUpperTail, studentUpperTail } from './normal.js';
export { median, quantile, quantileSorted } from './quantile.js';
export { theilSen, type Point, type TheilSen } from './theil-sen.js';
