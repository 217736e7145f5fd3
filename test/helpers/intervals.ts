import type { Histogram } from 'hdr-histogram-js';
import { decodeSlots, latencyHistogram } from '../../src/core/hdr.js';

/** A figure summed over intervals (absent counts as 0). */
export const total = <T>(intervals: readonly T[], pick: (interval: T) => number | undefined) => intervals.reduce((sum, interval) => sum + (pick(interval) ?? 0), 0);

/** The library's bucket arithmetic, on every histogram it builds but not in its typings. */
interface SlotValues {
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
}

/** An interval's encoded histogram as a histogram of the library, to check the records against it. */
export function decodeInterval(encoded: string): Histogram {
  const histogram = latencyHistogram();
  const slots = decodeSlots(encoded);
  const values = histogram as unknown as SlotValues;
  for (let i = 0; i < (slots?.length ?? 0); i += 1) histogram.recordValueWithCount(values.highestEquivalentValue(values.valueFromIndex(slots!.slots[i]!)), slots!.counts[i]!);
  return histogram;
}

/** The requests an encoded interval histogram holds. */
export function hdrCount(encoded: string): number {
  const histogram = decodeInterval(encoded);
  const count = histogram.totalCount;
  histogram.destroy();
  return count;
}
