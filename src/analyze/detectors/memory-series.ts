import { MB } from '../../core/format.js';
import type { TargetHold } from '../facts/holds.js';
import type { NodeProcess, OsProcess } from '../facts/processes.js';
import { bucketSeries, median, trendBucketMs, type Point } from '../stats/index.js';

/**
 * Which memory grows: the JS heap; off-heap memory (Buffers' backing stores and other external
 * memory); the resident memory (RSS) of a Node process, named native memory when it grows beyond the
 * heap and off-heap memory (memory-leak.ts); the RSS of a process tree soak sees only from outside.
 */
export type MemoryKind = 'heap' | 'off-heap' | 'rss' | 'tree';

/** With this many readings after major GCs they are the series; an exact Mann-Kendall test on 6 can reach p < 0.01. */
export const MIN_POST_GC_READINGS = 6;
/**
 * A rise of the fitted line under 1 MB over the window is not reported, whatever the rate: V8's own
 * housekeeping (code, feedback vectors, lazily compiled functions) moves the heap by that much, and in
 * a one-minute run 1 MB is already 60 MB/h. The rate threshold decides for long runs, this for short
 * ones. Off-heap memory is held to the same: socket and parser buffers move it by less.
 */
const MIN_RISE_BYTES = MB;
/**
 * The RSS of a process moves by more without leaking: the allocator keeps freed pages, and a
 * database touches its shared buffers lazily (a throwaway PostgreSQL's RSS climbs a few MB as its
 * cache fills). A rise of the fitted line under 4 MB, or under 2% of where it started, is not reported.
 */
const MIN_RSS_RISE_BYTES = 4 * MB;
const MIN_RSS_RISE_SHARE = 0.02;
/**
 * A Node process's native memory (RSS less the heap and off-heap memory) settles more slowly: the
 * allocator arenas of its libuv and V8 helper threads and the compiler's zones fill as it warms up. A
 * healthy WebSocket server's rose 4.5 MB in its first 25 s (43 to 51 MB, up and down by 3 MB from one
 * second to the next), so under 10 MB its rise is not reported.
 */
const MIN_NATIVE_RISE_BYTES = 10 * MB;

export interface MemorySeries {
  pid: number;
  memory: MemoryKind;
  /** What was measured, as the summary names it. */
  label: string;
  /** Least rise of the fitted line over the window that may count as growth, bytes. */
  minRise: number;
  points: Point[];
  bucketMs: number;
  /**
   * Set when the series is a floor (the least reading per bucket): the readings after major GCs that
   * must rise too. Between major GCs garbage promoted to the old generation (and the Buffers it holds)
   * raises the floor in a healthy process; only growth that survives a full collection is a leak.
   */
  gcReadings?: Point[];
}

/** The bucket length of a process's trend series: from its kept samples' span. */
function bucketOf(points: readonly Point[], sampleIntervalMs: number): number {
  return trendBucketMs(points.length > 0 ? points[points.length - 1]!.x - points[0]!.x : 0, sampleIntervalMs);
}

/** A Node process's heap after major GCs, else its heapUsed floor; undefined before any sample in `keep`. */
export function heapSeries(process: NodeProcess, keep: (t: number) => boolean, sampleIntervalMs: number): MemorySeries | undefined {
  return nodeMemory(process, 'heap', process.heapUsed.points('min', keep), process.postGc.points('mean', keep), sampleIntervalMs, ['heap after major GC', 'heapUsed floor (minimum per bucket)']);
}

/** A Node process's off-heap memory (`external`, which counts Buffers' backing stores) after major GCs, else its floor. */
export function offHeapSeries(process: NodeProcess, keep: (t: number) => boolean, sampleIntervalMs: number): MemorySeries | undefined {
  return nodeMemory(process, 'off-heap', process.external.points('min', keep), process.postGcExternal.points('mean', keep), sampleIntervalMs, [
    'off-heap memory (external) after major GC',
    'off-heap memory (external) floor (minimum per bucket)',
  ]);
}

function nodeMemory(process: NodeProcess, memory: MemoryKind, floor: Point[], postGc: Point[], sampleIntervalMs: number, [postGcLabel, floorLabel]: [string, string]): MemorySeries | undefined {
  if (floor.length === 0) return undefined;
  const bucketMs = bucketOf(floor, sampleIntervalMs);
  if (postGc.length >= MIN_POST_GC_READINGS) return { pid: process.pid, memory, label: postGcLabel, minRise: MIN_RISE_BYTES, points: bucketSeries(postGc, bucketMs, 'median'), bucketMs };
  return { pid: process.pid, memory, label: floorLabel, minRise: MIN_RISE_BYTES, points: bucketSeries(floor, bucketMs, 'min'), bucketMs, gcReadings: postGc };
}

/** Readings either side of a heap snapshot that measure the step it leaves in the RSS. */
const STEP_READINGS_MS = 5000;

/**
 * A heap snapshot raises the RSS of the process for good: V8 builds the snapshot in native memory and
 * the allocator keeps the pages. The step across each of soak's snapshots (median of the readings in
 * the 5 s after it, less the median of the 5 s before) is taken out of the readings after it.
 */
function withoutSnapshotSteps(points: Point[], snapshots: readonly TargetHold[]): Point[] {
  let result = points;
  for (const hold of snapshots) {
    const end = hold.t + hold.ms;
    const before = result.filter((point) => point.x < hold.t && point.x >= hold.t - STEP_READINGS_MS).map((point) => point.y);
    const after = result.filter((point) => point.x > end && point.x <= end + STEP_READINGS_MS).map((point) => point.y);
    if (before.length === 0 || after.length === 0) continue;
    const step = median(after) - median(before);
    result = result.map((point) => (point.x > end ? { x: point.x, y: point.y - step } : point));
  }
  return result;
}

/**
 * The native memory of a Node process (its RSS less V8's committed heap and its external memory) less
 * the steps of soak's heap snapshots, bucket medians. V8 commits heap pages as the heap grows and keeps
 * them after a collection, so the RSS of a service filling a bounded cache climbs for a while without
 * any leak; the heap and off-heap memory are judged on series of their own.
 */
export function rssSeries(process: NodeProcess, keep: (t: number) => boolean, sampleIntervalMs: number, snapshots: readonly TargetHold[]): MemorySeries | undefined {
  const points = withoutSnapshotSteps(process.native.points('mean'), snapshots).filter((point) => keep(point.x));
  return residentSeries(process.pid, 'rss', points, sampleIntervalMs, 'native memory of the process (RSS less the JS heap and off-heap memory)', MIN_NATIVE_RISE_BYTES);
}

/** The resident memory of a process tree sampled from the OS, less what each process joining or leaving it brought or took (OsProcess), bucket medians. */
export function treeSeries(process: OsProcess, keep: (t: number) => boolean, sampleIntervalMs: number): MemorySeries | undefined {
  return residentSeries(process.pid, 'tree', process.rssLessForks.points('mean', keep), sampleIntervalMs, 'RSS of the process tree', MIN_RSS_RISE_BYTES);
}

function residentSeries(pid: number, memory: MemoryKind, samples: Point[], sampleIntervalMs: number, label: string, minRiseBytes: number): MemorySeries | undefined {
  if (samples.length === 0) return undefined;
  const bucketMs = bucketOf(samples, sampleIntervalMs);
  const minRise = Math.max(minRiseBytes, MIN_RSS_RISE_SHARE * samples[0]!.y);
  return { pid, memory, label, minRise, points: bucketSeries(samples, bucketMs, 'median'), bucketMs };
}
