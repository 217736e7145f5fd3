import { build, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../store/records.js';

/** Latencies above an hour are clamped: a fixed range keeps each histogram's size fixed for the whole run. */
export const highestMicros = 3_600_000_000;

/**
 * A latency histogram in microseconds with 3 significant digits. Every soak load driver uses this
 * one layout, so intervals of any stream and of any run merge exactly.
 */
export function latencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: highestMicros, numberOfSignificantValueDigits: 3, autoResize: false });
}

/** A latency in ms, clamped into the histogram's range and recorded in µs. */
export function recordLatency(histogram: Histogram, latencyMs: number): void {
  histogram.recordValue(Math.min(highestMicros, Math.max(1, Math.round(latencyMs * 1000))));
}

/** JsHistogram's bucket arithmetic: on every histogram `build` makes, but not in its typings. */
interface BucketArithmetic {
  lowestEquivalentValue(value: number): number;
  nextNonEquivalentValue(value: number): number;
}

/**
 * A latency known only as a lower bound (a request that timed out), recorded at the start of the
 * smallest bucket that holds nothing below it: whatever reads the bucket back (its lowest or its
 * highest equivalent value, here or after a merge) reads at least the bound.
 */
export function recordAtLeast(histogram: Histogram, latencyMs: number): void {
  const micros = Math.min(highestMicros, Math.max(1, Math.ceil(latencyMs * 1000)));
  const buckets = histogram as unknown as BucketArithmetic;
  histogram.recordValue(buckets.lowestEquivalentValue(micros) === micros ? micros : buckets.nextNonEquivalentValue(micros));
}

const toMs = (micros: number) => Math.round(micros) / 1000;

export function latencySummary(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    count: histogram.totalCount,
    mean: toMs(histogram.mean),
    p50: toMs(histogram.getValueAtPercentile(50)),
    p90: toMs(histogram.getValueAtPercentile(90)),
    p99: toMs(histogram.getValueAtPercentile(99)),
    max: toMs(histogram.maxValue),
  };
}
