import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeSlots, LatencyCounts, latencyHistogram, latencyMs, recordedSummary, recordLatency, slotValueMs } from '../../src/core/hdr.js';
import { random } from '../analyze/run-builder.js';

/** Intervals recorded as a driver records them, with a long tail. */
function intervals(seed: number, count: number, layout: 'driver' | 'default'): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const histogram = layout === 'driver' ? latencyHistogram() : build();
    for (let i = 0; i < 200; i += 1) recordLatency(histogram, 1 + next() ** 4 * 5000);
    const encoded = encodeIntoCompressedBase64(histogram);
    histogram.destroy();
    return encoded;
  });
}

describe('latency counts', () => {
  it('sum decoded intervals to the percentiles and mean hdr-histogram-js gives their merge', () => {
    const encoded = intervals(1, 50, 'default');
    const library = build();
    const ours = new LatencyCounts();
    for (const text of encoded) {
      const decoded = decodeFromCompressedBase64(text);
      library.add(decoded);
      decoded.destroy();
      ours.add(decodeSlots(text));
    }
    expect(ours.summary()).toEqual(latencyMs(library));
    library.destroy();
  });

  it('encode in the V2 format: the library reads back the same histogram, and so do they', () => {
    const ours = new LatencyCounts();
    for (const text of intervals(2, 20, 'driver')) ours.add(decodeSlots(text));
    const back = decodeFromCompressedBase64(ours.encode());
    const again = new LatencyCounts();
    again.add(decodeSlots(ours.encode()));
    expect(back.totalCount).toBe(ours.total);
    expect({ ...latencyMs(back), max: null }).toEqual({ ...ours.summary(), max: null });
    expect(again.summary()).toEqual(ours.summary());
    back.destroy();
  });

  it('give one interval the percentile the library gives it, decoded into reused room', () => {
    const [text] = intervals(3, 1, 'default');
    const decoded = decodeFromCompressedBase64(text!);
    const slots = decodeSlots(text!, { slots: new Int32Array(23_552), counts: new Float64Array(23_552), length: 0, total: 0 })!;
    expect(slotValueMs(slots, 'p99')).toBe(decoded.getValueAtPercentile(99) / 1000);
    expect(slotValueMs(slots, 'p50')).toBe(decoded.getValueAtPercentile(50) / 1000);
    decoded.destroy();
  });

  it('start over empty after reset, and say nothing of nothing', () => {
    const counts = new LatencyCounts();
    counts.add(decodeSlots(intervals(4, 1, 'driver')[0]!));
    counts.reset();
    expect(counts.summary()).toEqual({ count: 0, mean: null, p50: null, p90: null, p99: null, max: null });
    expect(decodeSlots('')).toBeUndefined();
  });
});

describe('the summary of a recorded interval', () => {
  it('is what the library says of the same histogram, read from its counts instead of its iterator', () => {
    const next = random(5);
    for (const spread of [1, 40, 5000, 600_000]) {
      const histogram = latencyHistogram();
      for (let i = 0; i < 3000; i += 1) recordLatency(histogram, 0.05 + next() ** 4 * spread);
      const library = latencyMs(histogram);
      expect(recordedSummary(histogram)).toEqual({ count: library.count, mean: library.mean, p50: library.p50, p90: library.p90, p99: library.p99, max: library.max });
      histogram.destroy();
    }
    expect(recordedSummary(latencyHistogram())).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
