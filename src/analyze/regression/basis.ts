import { LATENCY_KEYS, LatencyCounts, slotScratch, unpackSlots, type LatencyKey, type LatencyMs } from '../../core/hdr.js';
import type { LoadBucket } from '../facts/buckets.js';
import type { RunFacts } from '../facts/builder.js';
import { addSums, emptySums, errorRateOf, failedOf, requestsOf, stretchRates } from '../facts/figures.js';
import { cellsIn } from '../facts/queries.js';
import { windowContains } from '../facts/spans.js';
import { testGrowth, type GrowthTest } from '../growth.js';
import { bucketSeries, trendBucketMs, type Point } from '../stats/index.js';
import type { Finding } from '../types.js';

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
 * buckets so each still has about 12, and long runs longer ones so none has over 600. Shorter buckets
 * that still resemble their neighbours are tested in blocks (stats/blocks.ts).
 */
export function comparisonBucketMs(spanMs: number, intervalMs: number): number {
  return Math.max(intervalMs, Math.min(PREFERRED_BUCKET_MS, spanMs / TARGET_BUCKETS), spanMs / MAX_BUCKETS);
}

/** One run's load over a stretch of intervals of one stream, each figure as figures.ts defines it. */
export interface StreamFigures {
  sent: number;
  completed: number;
  /** Successful (non-5xx) responses. */
  served: number;
  failed: number;
  /** Requests whose outcome is known (requestsOf): the error rate's denominator. */
  requests: number;
  errorRate: number;
  /** Successful responses per second over the time the intervals cover. */
  throughput: number;
  /** Requests sent per second over the same time. */
  attempted: number;
  latency: LatencyMs;
}

/** A stream's figures over the judged buckets. */
function streamFigures(buckets: readonly LoadBucket[], latency: LatencyCounts): StreamFigures {
  const total = emptySums();
  for (const bucket of buckets) addSums(total, bucket);
  const rates = stretchRates(total);
  return {
    sent: total.sent,
    completed: total.completed,
    served: total.served,
    failed: failedOf(total),
    requests: requestsOf(total),
    errorRate: errorRateOf(total) ?? 0,
    throughput: rates.throughput,
    attempted: rates.attempted,
    latency: latency.summary(),
  };
}

/** Per-bucket values of one stream, in time order: latency (ms), successful responses per second, failed share of the requests that ended. */
export interface LoadBuckets {
  latency: Record<LatencyKey, number[]>;
  throughput: number[];
  errorRate: number[];
}

/**
 * The run's fine buckets regrouped into buckets of bucketMs from `fromT`, by the middle of their
 * intervals: counts summed, histograms merged (exact percentiles, unlike a median of per-bucket ones).
 */
export function loadBuckets(buckets: readonly LoadBucket[], fromT: number, bucketMs: number, total = new LatencyCounts()): LoadBuckets {
  const groups = new Map<number, LoadBucket[]>();
  for (const bucket of buckets) {
    if (bucket.mid < fromT) continue;
    const index = Math.floor((bucket.mid - fromT) / bucketMs);
    const group = groups.get(index);
    if (group) group.push(bucket);
    else groups.set(index, [bucket]);
  }
  const result: LoadBuckets = { latency: { p50: [], p90: [], p99: [], max: [] }, throughput: [], errorRate: [] };
  const latency = new LatencyCounts();
  const scratch = slotScratch();
  for (const [, members] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const counts = emptySums();
    latency.reset();
    for (const member of members) {
      addSums(counts, member);
      latency.add(unpackSlots(member.histogram, scratch));
    }
    total.addCounts(latency);
    if (counts.spanMs > 0) result.throughput.push(stretchRates(counts).throughput);
    const rate = errorRateOf(counts);
    if (rate !== null) result.errorRate.push(rate);
    const summary = latency.summary();
    for (const key of LATENCY_KEYS) {
      const value = summary[key];
      if (value !== null) result.latency[key].push(value);
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
 * detector buckets them, of the service's longest-lived process. Undefined with too few points for a fit.
 */
export function heapTrend(facts: RunFacts, service: string, warmupMs: number, included: (t: number) => boolean = () => true): HeapTrend | undefined {
  const processes = [...(facts.services.get(service)?.nodeProcesses.values() ?? [])];
  const longest = processes.sort((a, b) => b.samples - a.samples)[0];
  if (!longest) return undefined;
  const keep = (t: number) => t >= longest.firstT + warmupMs && included(t);
  const floor = longest.heapUsed.points('min', keep);
  if (floor.length < 2) return undefined;
  const bucketMs = trendBucketMs(floor[floor.length - 1]!.x - floor[0]!.x, facts.meta.sampleIntervalMs);
  const postGc = longest.postGc.points('mean', keep);
  const usePostGc = postGc.length >= MIN_POST_GC_READINGS;
  const points = usePostGc ? bucketSeries(postGc, bucketMs, 'median') : bucketSeries(floor, bucketMs, 'min');
  const growth = testGrowth(points, { alpha: 1, minSlopePerMs: 0, minRise: 0 });
  return growth ? { pid: longest.pid, series: usePostGc ? 'heap after major GC' : 'heapUsed floor', points, growth } : undefined;
}

/** One stream's share of a basis: its figures over the judged part of the run and per bucket. */
export interface StreamBasis {
  figures: StreamFigures;
  buckets: LoadBuckets;
}

/** One service's fitted heap line: slope and its Sen interval, bytes per ms, over spanMs. */
export interface HeapBasis {
  series: HeapTrend['series'];
  points: number;
  /** From the line's first point to its last, ms. */
  spanMs: number;
  slopePerMs: number;
  slopeLowPerMs: number;
  slopeHighPerMs: number;
  confidence: number;
  /** Whether the run's own analysis raised memory-leak for the service; absent when its findings were not given. */
  memoryLeak?: boolean;
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

/**
 * The part a run's budgets judge: after its warm-up, within the phases they name. A comparison covers the
 * same part unless told otherwise, so that a stretch the scenario leaves out on purpose (a fault during
 * which failing fast is right) counts against neither run.
 */
export function judgedPart(config: { warmupMs: number; window?: readonly string[] }): JudgedPart {
  return { warmupMs: config.warmupMs, ...(config.window ? { window: [...config.window] } : {}) };
}

/**
 * When a run's warm-up ends: that long after its load started (the first phase of any stream), as the
 * detectors count it from each process's first sample. The target and its dependencies start before the
 * load, in seconds on an idle machine and in tens of seconds on a busy one: counted from the run's start,
 * the warm-up could be over before the first request, and the load's own start-up would be compared.
 */
export function warmupEnd(facts: RunFacts, warmupMs: number): number {
  const loadStart = facts.phases.reduce((earliest, phase) => Math.min(earliest, phase.start), Infinity);
  return (Number.isFinite(loadStart) ? loadStart : facts.startT) + warmupMs;
}

/** A stream's (or every stream's) buckets in the judged part, by the middle of their intervals. */
function judgedBuckets(facts: RunFacts, part: JudgedPart, stream?: string): LoadBucket[] {
  const fromT = warmupEnd(facts, part.warmupMs);
  return cellsIn(facts, part.window, stream)
    .flatMap((cell) => cell.buckets.all())
    .filter((bucket) => bucket.mid >= fromT)
    .sort((a, b) => a.mid - b.mid);
}

/** Where the judged part starts: the end of the warm-up, or the window's first interval after it. */
function judgedStart(facts: RunFacts, part: JudgedPart, buckets: readonly LoadBucket[]): number {
  const fromT = warmupEnd(facts, part.warmupMs);
  if (!part.window) return fromT;
  return Math.max(fromT, buckets.reduce((earliest, bucket) => Math.min(earliest, bucket.from), Infinity));
}

/** The judged part of a run: from its start to its last load record, ms. */
export function judgedSpan(facts: RunFacts, part: JudgedPart): number {
  const buckets = judgedBuckets(facts, part);
  if (buckets.length === 0) return 0;
  const last = buckets.reduce((top, bucket) => Math.max(top, bucket.t), facts.startT);
  return Math.max(0, Math.min(facts.endT, last) - judgedStart(facts, part, buckets));
}

/** The bucket a run is reduced with when nothing else decides it (its own summary.json). */
export function ownBucketMs(facts: RunFacts, part: JudgedPart): number {
  return comparisonBucketMs(judgedSpan(facts, part), facts.load.intervalMs ?? facts.meta.sampleIntervalMs);
}

/**
 * The services a run's findings say leak memory. The heap comparison defers to that verdict by the
 * finding's kind alone, whatever the detector weighed to reach it.
 */
export function leakingServices(findings: readonly Finding[]): Set<string> {
  return new Set(findings.flatMap((finding) => (finding.kind === 'memory-leak' && finding.severity !== 'info' && finding.service ? [finding.service] : [])));
}

export interface BasisOptions {
  /** Bucket length, ms (default: the run's own, ownBucketMs). */
  bucketMs?: number;
  /** The run's findings: each heap line then says whether memory-leak was raised for its service. */
  findings?: readonly Finding[];
}

/** The figures of every stream and Node service of a run in its judged part, bucketed by bucketMs. */
export function regressionBasis(facts: RunFacts, part: JudgedPart, options: BasisOptions = {}): RegressionBasis {
  const bucketMs = options.bucketMs ?? ownBucketMs(facts, part);
  const leaking = options.findings ? leakingServices(options.findings) : undefined;
  const fromT = judgedStart(facts, part, judgedBuckets(facts, part));
  const streams: Record<string, StreamBasis> = {};
  for (const stream of facts.load.streams.keys()) {
    const buckets = judgedBuckets(facts, part, stream);
    // Each bucket's histogram is decoded once, into its comparison bucket and the stream's total.
    const latency = new LatencyCounts();
    const grouped = loadBuckets(buckets, fromT, bucketMs, latency);
    streams[stream] = { figures: streamFigures(buckets, latency), buckets: grouped };
  }
  const inWindow = windowContains(facts.phases, part.window, facts.endT);
  const heap: Record<string, HeapBasis> = {};
  for (const service of facts.services.values()) {
    const trend = heapTrend(facts, service.name, part.warmupMs, inWindow);
    if (!trend) continue;
    const { growth } = trend;
    heap[service.name] = {
      series: trend.series,
      points: growth.n,
      spanMs: growth.windowEnd - growth.windowStart,
      slopePerMs: growth.slopePerMs,
      slopeLowPerMs: growth.slopeLowPerMs,
      slopeHighPerMs: growth.slopeHighPerMs,
      confidence: SEN_CONFIDENCE,
      ...(leaking ? { memoryLeak: leaking.has(service.name) } : {}),
    };
  }
  return { bucketMs, warmupMs: part.warmupMs, ...(part.window ? { window: [...part.window] } : {}), streams, heap };
}
