import { build, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';

/**
 * Interval latencies are stored as HDR histograms (microseconds, compressed base64). Summing them gives
 * exact percentiles over any span; averaging per-interval percentiles would not.
 */

export type LatencyKey = 'p50' | 'p90' | 'p99' | 'max';
export const latencyKeys: readonly LatencyKey[] = ['p50', 'p90', 'p99', 'max'];

/** Milliseconds; null when nothing was recorded. */
export interface LatencyMs {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

const MICROS_PER_MS = 1000;
const percentiles: Record<Exclude<LatencyKey, 'max'>, number> = { p50: 50, p90: 90, p99: 99 };

/** One interval's histogram; undefined for an interval that recorded nothing. The caller destroys it. */
export function decodeHdr(encoded: string): Histogram | undefined {
  return encoded ? decodeFromCompressedBase64(encoded) : undefined;
}

/** The sum of many intervals' histograms. The caller destroys it. */
export function mergeHdr(encoded: Iterable<string>): Histogram {
  const total = build();
  for (const text of encoded) {
    const interval = decodeHdr(text);
    if (!interval) continue;
    total.add(interval);
    interval.destroy();
  }
  return total;
}

/** A percentile (or the maximum) of a histogram, in milliseconds. */
export function valueMs(histogram: Histogram, key: LatencyKey): number {
  const micros = key === 'max' ? histogram.maxValue : histogram.getValueAtPercentile(percentiles[key]);
  return micros / MICROS_PER_MS;
}

export function latencyMs(histogram: Histogram): LatencyMs {
  if (histogram.totalCount === 0) return { count: 0, mean: null, p50: null, p90: null, p99: null, max: null };
  return {
    count: histogram.totalCount,
    mean: histogram.mean / MICROS_PER_MS,
    p50: valueMs(histogram, 'p50'),
    p90: valueMs(histogram, 'p90'),
    p99: valueMs(histogram, 'p99'),
    max: valueMs(histogram, 'max'),
  };
}

/** Latency over many intervals, e.g. a whole run or one phase. */
export function mergedLatency(encoded: Iterable<string>): LatencyMs {
  const total = mergeHdr(encoded);
  try {
    return latencyMs(total);
  } finally {
    total.destroy();
  }
}
