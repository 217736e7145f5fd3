import { decodeFromCompressedBase64 } from 'hdr-histogram-js';

/** A figure summed over intervals (absent counts as 0). */
export const total = <T>(intervals: readonly T[], pick: (interval: T) => number | undefined) => intervals.reduce((sum, interval) => sum + (pick(interval) ?? 0), 0);

/** The requests an encoded interval histogram holds. */
export function hdrCount(encoded: string): number {
  const histogram = decodeFromCompressedBase64(encoded);
  const count = histogram.totalCount;
  histogram.destroy();
  return count;
}
