import type { LoadInterval, NodeProbeSample } from '../../store/records.js';
import { testGrowth, type GrowthTest } from '../growth.js';
import { latencyKeys, mergeHdr, mergedLatency, valueMs, type LatencyKey, type LatencyMs } from '../hdr.js';
import { byPid } from '../series.js';
import { bucketSeries, median, trendBucketMs, type Point } from '../stats/index.js';
import type { RunData } from '../types.js';
import { windowContains, windowIntervals } from '../window.js';

/**
 * What a run is compared on, reduced to a few kilobytes: per-bucket load figures of each stream and the
 * fitted heap line of each Node service. It is stored in summary.json, so a later run can be gated
 * against a baseline's summary.json alone.
 */

/** Buckets wanted per run; the bucket shrinks below 10 s to keep that many in short runs. */
const TARGET_BUCKETS = 12;
const PREFERRED_BUCKET_MS = 10_000;
/** Pairwise differences grow as n^2: 600 buckets per run are 360k of them. */
const MAX_BUCKETS = 600;
/** As the memory-leak detector: with this many post-GC readings they are the series. */
const MIN_POST_GC_READINGS = 6;
/** testGrowth fits with theilSen's default interval. */
const SEN_CONFIDENCE = 0.95;

/**
 * Bucket length for comparing two runs. Per-second intervals are autocorrelated (a GC pause or a slow
 * dependency spans several of them) and Mann-Whitney assumes independent values, so raw intervals would
 * overstate significance. Values over 10 s buckets are close to independent; short runs get shorter
 * buckets so each still has about 12, and long runs longer ones so none has over 600.
 */
export function comparisonBucketMs(spanMs: number, intervalMs: number): number {
  return Math.max(intervalMs, Math.min(PREFERRED_BUCKET_MS, spanMs / TARGET_BUCKETS), spanMs / MAX_BUCKETS);
}

/** One run's load over a stretch of intervals of one stream. */
export interface StreamFigures {
  sent: number;
  completed: number;
  failed: number;
  errorRate: number;
  /** Completed per second over the time the intervals cover. */
  throughput: number;
  latency: LatencyMs;
}

export function streamFigures(intervals: readonly LoadInterval[]): StreamFigures {
  const sum = (pick: (interval: LoadInterval) => number) => intervals.reduce((total, interval) => total + pick(interval), 0);
  const sent = sum((interval) => interval.sent);
  const completed = sum((interval) => interval.completed);
  const failed = sum((interval) => interval.errors + interval.timeouts);
  const first = intervals[0];
  const last = intervals[intervals.length - 1];
  const coveredMs = first && last ? last.t - first.t + first.span : 0;
  return {
    sent,
    completed,
    failed,
    errorRate: sent > 0 ? failed / sent : 0,
    throughput: coveredMs > 0 ? (completed * 1000) / coveredMs : 0,
    latency: mergedLatency(intervals.map((interval) => interval.hdr)),
  };
}

/** Per-bucket values of one stream, in time order: latency (ms), completed per second, failed share of sent. */
export interface LoadBuckets {
  latency: Record<LatencyKey, number[]>;
  throughput: number[];
  errorRate: number[];
}

/**
 * A bucket's latency percentiles from its intervals' merged histograms (exact, unlike a median of
 * per-interval percentiles); intervals recorded without a histogram fall back to the median of their own figures.
 */
function bucketLatency(intervals: LoadInterval[]): Partial<Record<LatencyKey, number>> {
  const merged = mergeHdr(intervals.map((interval) => interval.hdr));
  try {
    if (merged.totalCount > 0) return Object.fromEntries(latencyKeys.map((key) => [key, valueMs(merged, key)]));
  } finally {
    merged.destroy();
  }
  const answered = intervals.filter((interval) => interval.latency.count > 0);
  if (answered.length === 0) return {};
  return Object.fromEntries(latencyKeys.map((key) => [key, median(answered.map((interval) => interval.latency[key]))]));
}

/** Buckets of bucketMs from `fromT`, by the middle of each interval (`t` is when an interval closed). */
export function loadBuckets(intervals: readonly LoadInterval[], fromT: number, bucketMs: number): LoadBuckets {
  const buckets = new Map<number, LoadInterval[]>();
  for (const interval of intervals) {
    const middle = interval.t - interval.span / 2;
    if (middle < fromT) continue;
    const index = Math.floor((middle - fromT) / bucketMs);
    const bucket = buckets.get(index);
    if (bucket) bucket.push(interval);
    else buckets.set(index, [interval]);
  }
  const result: LoadBuckets = { latency: { p50: [], p90: [], p99: [], max: [] }, throughput: [], errorRate: [] };
  for (const [, members] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
    const sum = (pick: (interval: LoadInterval) => number) => members.reduce((total, interval) => total + pick(interval), 0);
    const sent = sum((interval) => interval.sent);
    const span = sum((interval) => interval.span);
    if (span > 0) result.throughput.push((sum((interval) => interval.completed) * 1000) / span);
    if (sent > 0) result.errorRate.push(sum((interval) => interval.errors + interval.timeouts) / sent);
    const latency = bucketLatency(members);
    for (const key of latencyKeys) {
      const value = latency[key];
      if (value !== undefined) result.latency[key].push(value);
    }
  }
  return result;
}

/** The fitted heap line of a service's longest-lived process after the warm-up. */
export interface HeapTrend {
  pid: number;
  series: 'heap after major GC' | 'heapUsed floor';
  points: Point[];
  growth: GrowthTest;
}

/**
 * Post-GC readings once there are enough of them, else the heapUsed floor, bucketed as the memory-leak
 * detector buckets them. Undefined with too few points for a fit.
 */
export function heapTrend(samples: readonly NodeProbeSample[], warmupMs: number, sampleIntervalMs: number, included: (t: number) => boolean = () => true): HeapTrend | undefined {
  const longest = byPid([...samples]).sort((a, b) => b.length - a.length)[0];
  if (!longest) return undefined;
  const judged = longest.filter((sample) => sample.t >= longest[0]!.t + warmupMs && included(sample.t));
  if (judged.length < 2) return undefined;
  const bucketMs = trendBucketMs(judged[judged.length - 1]!.t - judged[0]!.t, sampleIntervalMs);
  const postGc = judged.flatMap((sample) => (sample.postGcHeap === undefined ? [] : [{ x: sample.t, y: sample.postGcHeap }]));
  const usePostGc = postGc.length >= MIN_POST_GC_READINGS;
  const points = usePostGc
    ? bucketSeries(postGc, bucketMs, 'median')
    : bucketSeries(judged.map((sample) => ({ x: sample.t, y: sample.memory.heapUsed })), bucketMs, 'min');
  const growth = testGrowth(points, { alpha: 1, minSlopePerMs: 0, minRise: 0 });
  return growth ? { pid: longest[0]!.pid, series: usePostGc ? 'heap after major GC' : 'heapUsed floor', points, growth } : undefined;
}

/** One stream's share of a basis: its figures over the judged part of the run and per bucket. */
export interface StreamBasis {
  figures: StreamFigures;
  buckets: LoadBuckets;
}

/** One service's fitted heap line: slope and its Sen interval, bytes per ms. */
export interface HeapBasis {
  series: HeapTrend['series'];
  points: number;
  slopePerMs: number;
  slopeLowPerMs: number;
  slopeHighPerMs: number;
  confidence: number;
}

export interface RegressionBasis {
  bucketMs: number;
  /** The start of the run left out, ms. */
  warmupMs: number;
  /** The phases compared (names or kinds); absent: the whole run after the warm-up. */
  window?: string[];
  streams: Record<string, StreamBasis>;
  heap: Record<string, HeapBasis>;
}

/** The part of a run that is compared: after the warm-up, and within the window's phases when one is given. */
export interface JudgedPart {
  /** The start of each run that is left out (JIT, caches and pools filling), ms. */
  warmupMs: number;
  /** The phases compared, by name or kind (e.g. only `steady`); none: the whole run after the warm-up. */
  window?: readonly string[];
}

/** A stream's (or every stream's) load intervals in the judged part, by the middle of each interval. */
function judgedIntervals(run: RunData, part: JudgedPart, stream?: string): LoadInterval[] {
  const fromT = run.startT + part.warmupMs;
  return windowIntervals(run, part.window, stream).filter((interval) => interval.t - interval.span / 2 >= fromT);
}

/** Where the judged part starts: the end of the warm-up, or the window's first interval after it. */
function judgedStart(run: RunData, part: JudgedPart, intervals: readonly LoadInterval[]): number {
  const fromT = run.startT + part.warmupMs;
  if (!part.window) return fromT;
  return Math.max(fromT, intervals.reduce((earliest, interval) => Math.min(earliest, interval.t - interval.span), Infinity));
}

/** The judged part of a run: from its start to its last load record, ms. */
export function judgedSpan(run: RunData, part: JudgedPart): number {
  const intervals = judgedIntervals(run, part);
  if (intervals.length === 0) return 0;
  const last = intervals.reduce((top, interval) => Math.max(top, interval.t), run.startT);
  return Math.max(0, Math.min(run.endT, last) - judgedStart(run, part, intervals));
}

/** The bucket a run is reduced with when nothing else decides it (its own summary.json). */
export function ownBucketMs(run: RunData, part: JudgedPart): number {
  return comparisonBucketMs(judgedSpan(run, part), run.load[0]?.span ?? run.meta.sampleIntervalMs);
}

/** The figures of every stream and Node service of a run in its judged part, bucketed by bucketMs. */
export function regressionBasis(run: RunData, part: JudgedPart, bucketMs = ownBucketMs(run, part)): RegressionBasis {
  const fromT = judgedStart(run, part, judgedIntervals(run, part));
  const streams: Record<string, StreamBasis> = {};
  for (const stream of new Set(run.load.map((interval) => interval.stream))) {
    const intervals = judgedIntervals(run, part, stream);
    streams[stream] = { figures: streamFigures(intervals), buckets: loadBuckets(intervals, fromT, bucketMs) };
  }
  const inWindow = windowContains(run, part.window);
  const heap: Record<string, HeapBasis> = {};
  for (const [service, samples] of run.node) {
    const trend = heapTrend(samples, part.warmupMs, run.meta.sampleIntervalMs, inWindow);
    if (!trend) continue;
    const { growth } = trend;
    heap[service] = {
      series: trend.series,
      points: growth.n,
      slopePerMs: growth.slopePerMs,
      slopeLowPerMs: growth.slopeLowPerMs,
      slopeHighPerMs: growth.slopeHighPerMs,
      confidence: SEN_CONFIDENCE,
    };
  }
  return { bucketMs, warmupMs: part.warmupMs, ...(part.window ? { window: [...part.window] } : {}), streams, heap };
}
