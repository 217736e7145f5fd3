import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSlots, encodeRecorded, LatencyCounts, latencyHistogram, latencyMs, recordedSummary, recordLatency, slotValueMs } from '../../src/core/hdr.js';
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

/** A plain V2 encoding in the compressed envelope the library reads: its cookie, the length, the deflated bytes. */
function deflated(plain: string): string {
  const bytes = Buffer.from(plain, 'base64');
  expect(bytes.readInt32BE(0) & ~0xf0).toBe(0x1c849303);
  const compressed = deflateSync(bytes);
  const envelope = Buffer.alloc(8);
  envelope.writeInt32BE(0x1c849304 | 0x10, 0);
  envelope.writeInt32BE(compressed.length, 4);
  return Buffer.concat([envelope, compressed]).toString('base64');
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

  it('encode in the V2 format, not deflated: the library reads back the same histogram once it is, and so do they', () => {
    const ours = new LatencyCounts();
    for (const text of intervals(2, 20, 'driver')) ours.add(decodeSlots(text));
    const back = decodeFromCompressedBase64(deflated(ours.encode()));
    const again = new LatencyCounts();
    again.add(decodeSlots(ours.encode()));
    expect(back.totalCount).toBe(ours.total);
    expect({ ...latencyMs(back), max: null }).toEqual({ ...ours.summary(), max: null });
    expect(again.summary()).toEqual(ours.summary());
    back.destroy();
  });

  it("encode a driver's histogram as it was recorded, read back like the deflated encoding of earlier runs", () => {
    const histogram = latencyHistogram();
    const next = random(5);
    for (let i = 0; i < 500; i += 1) recordLatency(histogram, 0.2 + next() ** 3 * 9000);
    const plain = new LatencyCounts();
    plain.add(decodeSlots(encodeRecorded(histogram)));
    const earlier = new LatencyCounts();
    earlier.add(decodeSlots(encodeIntoCompressedBase64(histogram)));
    expect(plain.total).toBe(500);
    expect(plain.summary()).toEqual(earlier.summary());
    expect(decodeSlots(deflated(encodeRecorded(histogram)))).toEqual(decodeSlots(encodeRecorded(histogram)));
    histogram.destroy();
  });

  it('give one interval the percentile the library gives it, decoded into reused room', () => {
    const [text] = intervals(3, 1, 'default');
    const decoded = decodeFromCompressedBase64(text!);
    const slots = decodeSlots(text!, { slots: new Int32Array(23_552), counts: new Float64Array(23_552), length: 0, total: 0 })!;
    expect(slotValueMs(slots, 'p99')).toBe(decoded.getValueAtPercentile(99) / 1000);
    expect(slotValueMs(slots, 'p50')).toBe(decoded.getValueAtPercentile(50) / 1000);
    decoded.destroy();
  });

  it('count the values at or below each bound, as cumulative histogram buckets, and their sum', () => {
    const histogram = latencyHistogram();
    const recorded = [...Array(3).fill(0.5), ...Array(5).fill(2), ...Array(2).fill(40), 3000];
    for (const ms of recorded) recordLatency(histogram, ms);
    const counts = new LatencyCounts();
    counts.add(decodeSlots(encodeIntoCompressedBase64(histogram)));
    histogram.destroy();
    const { counts: cumulative, sumMicros } = counts.cumulative([100, 1000, 5000, 100_000, 1_000_000]);
    expect(cumulative).toEqual([0, 3, 8, 10, 10]);
    const exact = recorded.reduce((sum, ms) => sum + ms * 1000, 0);
    expect(Math.abs(sumMicros - exact) / exact).toBeLessThan(0.001);
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
