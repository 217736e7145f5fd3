import { build, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** Latency of many intervals, in milliseconds. null figures: no request completed. */
export interface LatencyStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** Microseconds (as recorded) to milliseconds, kept to the microsecond. */
const toMs = (microseconds: number) => Math.round(microseconds) / 1000;

/**
 * Sums interval histograms into one per key (whole run, per stream, per phase) so percentiles
 * are exact over any span instead of averages of per-interval percentiles.
 */
export class LatencyMerger {
  private readonly totals = new Map<string, Histogram>();

  /** Decodes one interval's histogram once and adds it to every key given. */
  add(hdr: string, keys: string[]): void {
    if (!hdr) return;
    const interval = decodeFromCompressedBase64(hdr);
    try {
      if (interval.totalCount === 0) return;
      for (const key of keys) {
        let total = this.totals.get(key);
        if (!total) {
          total = build();
          this.totals.set(key, total);
        }
        total.add(interval);
      }
    } finally {
      interval.destroy();
    }
  }

  stats(key: string): LatencyStats {
    const total = this.totals.get(key);
    if (!total || total.totalCount === 0) return { count: 0, mean: null, p50: null, p90: null, p99: null, max: null };
    return {
      count: total.totalCount,
      mean: toMs(total.mean),
      p50: toMs(total.getValueAtPercentile(50)),
      p90: toMs(total.getValueAtPercentile(90)),
      p99: toMs(total.getValueAtPercentile(99)),
      max: toMs(total.maxValue),
    };
  }

  destroy(): void {
    for (const total of this.totals.values()) total.destroy();
    this.totals.clear();
  }
}
