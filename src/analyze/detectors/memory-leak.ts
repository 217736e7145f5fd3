import { figure, HOUR_MS, MB, megabytes, offset, pValue, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { NodeProcess, OsProcess } from '../facts/processes.js';
import { firstDetection, testGrowth, type GrowthCriteria, type GrowthTest } from '../growth.js';
import { bucketSeries, theilSen, trendBucketMs, type Point } from '../stats/index.js';
import type { AnalysisConfig, Detector, Finding } from '../types.js';

/** With this many post-GC readings they are the series; an exact Mann-Kendall test on 6 can reach p < 0.01. */
const MIN_POST_GC_READINGS = 6;
/**
 * A rise of the fitted line under 1 MB over the window is not reported, whatever the rate: V8's own
 * housekeeping (code, feedback vectors, lazily compiled functions) moves the heap by that much, and in
 * a one-minute run 1 MB is already 60 MB/h. The rate threshold decides for long runs, this for short ones.
 */
const MIN_RISE_BYTES = MB;
/**
 * The RSS of a process tree moves by more without leaking: the allocator keeps freed pages, and a
 * database touches its shared buffers lazily (a throwaway PostgreSQL's RSS climbs a few MB as its
 * cache fills). A rise of the fitted line under 4 MB, or under 2% of where it started, is not reported.
 */
const MIN_RSS_RISE_BYTES = 4 * MB;
const MIN_RSS_RISE_SHARE = 0.02;
/** The post-GC readings must cover this share of the window to confirm the floor's growth. */
const MIN_GC_COVERAGE = 0.25;

export interface MemorySeries {
  pid: number;
  /** The title's word for what grows. */
  noun: 'Heap' | 'Memory';
  /** What was measured, as the summary names it. */
  label: string;
  /** Least rise of the fitted line over the window that may count as growth, bytes. */
  minRise: number;
  points: Point[];
  /**
   * Set when the series is the heapUsed floor: the readings after major GCs that must rise too. Between
   * major GCs garbage promoted to the old generation raises heapUsed in a healthy process; only growth
   * that survives a full collection is a leak.
   */
  gcReadings?: Point[];
  limit?: { bytes: number; name: string };
}

interface Verdict {
  series: MemorySeries;
  growth: GrowthTest;
  leak: boolean;
  overBudget: boolean;
  at?: number;
}

/** A process's heap after its warm-up (JIT, caches and pools filling), counted from its first sample; undefined before any. */
export function nodeSeries(process: NodeProcess, config: AnalysisConfig, sampleIntervalMs: number, included: (t: number) => boolean = () => true): MemorySeries | undefined {
  const keep = (t: number) => t >= process.firstT + config.warmupMs && included(t);
  const floor = process.heapUsed.points('min', keep);
  const first = floor[0];
  const last = floor[floor.length - 1];
  if (!first || !last) return undefined;
  const bucketMs = trendBucketMs(last.x - first.x, sampleIntervalMs);
  const postGc = process.postGc.points('mean', keep);
  const limit = { bytes: process.heapLimit, name: 'heap limit' };
  if (postGc.length >= MIN_POST_GC_READINGS) {
    return { pid: process.pid, noun: 'Heap', label: 'heap after major GC', minRise: MIN_RISE_BYTES, points: bucketSeries(postGc, bucketMs, 'median'), limit };
  }
  return { pid: process.pid, noun: 'Heap', label: 'heapUsed floor (minimum per bucket)', minRise: MIN_RISE_BYTES, points: bucketSeries(floor, bucketMs, 'min'), gcReadings: postGc, limit };
}

/** The memory a process tree is projected against: the cgroup limit the run had, else the machine's memory (from meta.json). */
function machineLimit(facts: RunFacts): MemorySeries['limit'] {
  const { memoryLimit, totalMemory } = facts.meta.host;
  return memoryLimit !== undefined ? { bytes: memoryLimit, name: 'memory limit' } : { bytes: totalMemory, name: 'total memory' };
}

function osSeries(process: OsProcess, facts: RunFacts): MemorySeries | undefined {
  const rss = process.rss.points('mean', (t) => t >= process.firstT + facts.config.warmupMs);
  const first = rss[0];
  if (!first) return undefined;
  const bucketMs = trendBucketMs(rss[rss.length - 1]!.x - first.x, facts.meta.sampleIntervalMs);
  const points = bucketSeries(rss, bucketMs, 'median');
  const minRise = Math.max(MIN_RSS_RISE_BYTES, MIN_RSS_RISE_SHARE * (points[0]?.y ?? 0));
  return { pid: process.pid, noun: 'Memory', label: 'RSS of the process tree', minRise, points, limit: machineLimit(facts) };
}

/**
 * Whether the floor's growth survived full collections. With readings spread over the window, they
 * must rise at least half as fast. With fewer (a young heap growing fast gets few major GCs: V8 keeps
 * raising its limit), one reading a quarter or more into the window will do if the collection kept at
 * least half of the growth the floor had shown by then: garbage would have gone back to the start.
 */
function survivesCollection(readings: readonly Point[], growth: GrowthTest): boolean {
  const inWindow = readings.filter((point) => point.x >= growth.windowStart && point.x <= growth.windowEnd);
  const span = growth.windowEnd - growth.windowStart;
  const covered = inWindow.length >= 2 ? inWindow[inWindow.length - 1]!.x - inWindow[0]!.x : 0;
  if (covered >= MIN_GC_COVERAGE * span) return theilSen(inWindow).slope >= 0.5 * growth.slopePerMs;
  return inWindow.some((reading) => {
    const elapsed = reading.x - growth.windowStart;
    const grownBy = growth.slopePerMs * elapsed;
    return elapsed >= MIN_GC_COVERAGE * span && reading.y >= growth.y0 + 0.5 * grownBy;
  });
}

const leakCriteria = (series: MemorySeries, config: AnalysisConfig): GrowthCriteria => ({
  alpha: config.alpha,
  minSlopePerMs: (config.minLeakMBPerHour * MB) / HOUR_MS,
  minRise: series.minRise,
});

function judge(series: MemorySeries, config: AnalysisConfig): Verdict | undefined {
  const criteria = leakCriteria(series, config);
  const budget = config.heapGrowthMBPerHour;
  const confirmed = (growth: GrowthTest) => !series.gcReadings || survivesCollection(series.gcReadings, growth);
  const isLeak = (growth: GrowthTest) => growth.passes && confirmed(growth);
  const isOverBudget = (growth: GrowthTest) => budget !== undefined && growth.significant && growth.slopePerMs > (budget * MB) / HOUR_MS && confirmed(growth);

  const growth = testGrowth(series.points, criteria);
  if (!growth) return undefined;
  const leak = isLeak(growth);
  const overBudget = isOverBudget(growth);
  if (!leak && !overBudget) return undefined;
  const rule = leak ? isLeak : isOverBudget;
  const at = firstDetection(series.points, (prefix) => {
    const early = testGrowth(prefix, criteria);
    return early !== undefined && rule(early);
  });
  return { series, growth, leak, overBudget, at };
}

function projectedLimit(growth: GrowthTest, limit: MemorySeries['limit']): { at: number; hours: number } | undefined {
  if (!limit || !(limit.bytes > 0) || !(growth.slopePerMs > 0)) return undefined;
  const at = Math.max(growth.windowEnd, growth.t0 + (limit.bytes - growth.y0) / growth.slopePerMs);
  return { at, hours: (at - growth.windowEnd) / HOUR_MS };
}

function finding(service: string, verdict: Verdict, config: AnalysisConfig, facts: RunFacts, pids: number[]): Finding {
  const { series, growth } = verdict;
  const perHour = (perMs: number) => round((perMs * HOUR_MS) / MB);
  const rate = perHour(growth.slopePerMs);
  const startY = growth.y0;
  const endY = growth.y0 + growth.rise;
  const projection = projectedLimit(growth, series.limit);
  const why = verdict.leak
    ? `above the ${figure(config.minLeakMBPerHour)} MB/h leak threshold and still rising in the second half (${figure(perHour(growth.lastHalfSlopePerMs))} MB/h)`
    : `above the ${figure(config.heapGrowthMBPerHour!)} MB/h growth budget`;
  const oom = projection && series.limit
    ? ` At this rate it reaches the ${megabytes(series.limit.bytes)} ${series.limit.name} ${projection.hours > 0 ? `in ${figure(projection.hours)} h` : 'already'}.`
    : '';
  const confirmation = series.gcReadings ? ` The readings after ${series.gcReadings.length} major GCs rise as well.` : '';
  return {
    kind: 'memory-leak',
    severity: 'fail',
    title: `${series.noun} of ${service} grows ${figure(rate)} MB/h`,
    service,
    at: verdict.at,
    evidence: {
      summary:
        `The ${series.label} of ${service} (pid ${series.pid}) rose from ${megabytes(startY)} to ${megabytes(endY)} between ` +
        `${offset(growth.windowStart, facts.startT)} and ${offset(growth.windowEnd, facts.startT)}: ${figure(rate)} MB/h ` +
        `(95% CI ${figure(perHour(growth.slopeLowPerMs))} to ${figure(perHour(growth.slopeHighPerMs))}), Mann-Kendall ${pValue(growth.p)} ` +
        `over ${growth.n} points, ${why}.${confirmation}${oom}`,
      series: series.label,
      pid: series.pid,
      ...(pids.length > 1 ? { pidsGrowing: pids } : {}),
      slopeMBPerHour: rate,
      slopeLowMBPerHour: perHour(growth.slopeLowPerMs),
      slopeHighMBPerHour: perHour(growth.slopeHighPerMs),
      confidence: 0.95,
      lastHalfSlopeMBPerHour: perHour(growth.lastHalfSlopePerMs),
      p: growth.p,
      alpha: config.alpha,
      tau: round(growth.tau),
      n: growth.n,
      windowStart: growth.windowStart,
      windowEnd: growth.windowEnd,
      fittedStartMB: round(startY / MB),
      fittedEndMB: round(endY / MB),
      riseMB: round(growth.rise / MB),
      leakThresholdMBPerHour: config.minLeakMBPerHour,
      ...(config.heapGrowthMBPerHour !== undefined ? { budgetMBPerHour: config.heapGrowthMBPerHour } : {}),
      ...(series.gcReadings ? { postGcReadings: series.gcReadings.length } : {}),
      ...(series.limit ? { limitMB: round(series.limit.bytes / MB), limitName: series.limit.name } : {}),
      ...(projection ? { projectedLimitAt: Math.round(projection.at), hoursToLimit: round(projection.hours) } : {}),
      trend: { t0: growth.t0, y0: Math.round(growth.y0), slopePerMs: growth.slopePerMs },
      values: series.points.map((point) => ({ t: Math.round(point.x), mb: round(point.y / MB) })),
    },
  };
}

/** The process of a service whose memory grows fastest, when any does. */
function worst(service: string, verdicts: Verdict[], facts: RunFacts): Finding[] {
  const sorted = verdicts.sort((a, b) => Number(b.leak) - Number(a.leak) || b.growth.slopePerMs - a.growth.slopePerMs);
  const top = sorted[0];
  return top ? [finding(service, top, facts.config, facts, sorted.map((verdict) => verdict.series.pid))] : [];
}

/**
 * Memory that keeps growing after the warm-up: on the heap after major GCs for Node services (or the
 * heapUsed floor confirmed by the post-GC readings), on the RSS of the process tree for the others.
 */
export const memoryLeak: Detector = {
  name: 'memory-leak',
  detect(facts) {
    const { config } = facts;
    const interval = facts.meta.sampleIntervalMs;
    const findings: Finding[] = [];
    for (const service of facts.services.values()) {
      const verdicts = service.probed
        ? [...service.nodeProcesses.values()].flatMap((process) => {
            const series = nodeSeries(process, config, interval);
            return series ? (judge(series, config) ?? []) : [];
          })
        : [...service.osProcesses.values()].flatMap((process) => {
            const series = osSeries(process, facts);
            return series ? (judge(series, config) ?? []) : [];
          });
      findings.push(...worst(service.name, verdicts, facts));
    }
    return findings;
  },
};

/**
 * The Node processes whose heapUsed floor passes the leak test while the post-GC readings do not
 * confirm it, usually for want of them: a young heap growing fast gets few major GCs. A full GC
 * forced in such a process settles the question at the next look, growth that survives it being a leak.
 */
export function unconfirmedHeapGrowth(facts: RunFacts): { service: string; pid: number }[] {
  const unconfirmed: { service: string; pid: number }[] = [];
  for (const service of facts.services.values()) {
    for (const process of service.nodeProcesses.values()) {
      const series = nodeSeries(process, facts.config, facts.meta.sampleIntervalMs);
      if (!series?.gcReadings) continue;
      const growth = testGrowth(series.points, leakCriteria(series, facts.config));
      if (growth?.passes && !survivesCollection(series.gcReadings, growth)) unconfirmed.push({ service: service.name, pid: series.pid });
    }
  }
  return unconfirmed;
}
