import type { Point } from './theil-sen.js';
import { quantileSorted } from './quantile.js';

/** Theil-Sen is O(n^2): 600 points are 180k pairwise slopes, a few milliseconds. */
export const MAX_TREND_POINTS = 600;
/** Fewer points than this give a trend test too little to go on, however short the run. */
export const MIN_TREND_BUCKETS = 30;
/**
 * Preferred bucket length. Samples a second apart are strongly autocorrelated (a heap sawtooth spans
 * several samples), and Mann-Kendall assumes independent values, so it overstates significance on raw
 * 1 Hz samples. One value per 10 s is close to independent for heap, handle and RSS series.
 */
export const PREFERRED_BUCKET_MS = 10_000;

/**
 * Bucket length for a trend test over spanMs: at most 600 buckets (cost), buckets of 10 s where that
 * still leaves 30 of them (independence), and never shorter than one sample.
 * 30 s run at 0.5 s: 1 s buckets (30); 1 h at 1 s: 10 s (360); 8 h: 48 s (600).
 */
export function trendBucketMs(spanMs: number, sampleIntervalMs: number): number {
  const forCost = spanMs / MAX_TREND_POINTS;
  const forIndependence = Math.min(PREFERRED_BUCKET_MS, spanMs / MIN_TREND_BUCKETS);
  return Math.max(forCost, forIndependence, sampleIntervalMs);
}

export type BucketReducer = 'median' | 'min' | 'max';

/**
 * One point per non-empty bucket of bucketMs starting at the first point: x is the median time of the
 * bucket's points, y their median (robust level), min (the floor a leak raises) or max.
 * Points must be in time order.
 */
export function bucketSeries(points: readonly Point[], bucketMs: number, reduce: BucketReducer): Point[] {
  const first = points[0];
  if (!first || !(bucketMs > 0)) return [...points];
  const buckets = new Map<number, Point[]>();
  for (const point of points) {
    const index = Math.floor((point.x - first.x) / bucketMs);
    const bucket = buckets.get(index);
    if (bucket) bucket.push(point);
    else buckets.set(index, [point]);
  }
  return [...buckets.values()].map((members) => {
    const xs = Float64Array.from(members, (member) => member.x).sort();
    const ys = Float64Array.from(members, (member) => member.y).sort();
    const y = reduce === 'min' ? ys[0]! : reduce === 'max' ? ys[ys.length - 1]! : quantileSorted(ys, 0.5);
    return { x: quantileSorted(xs, 0.5), y };
  });
}
