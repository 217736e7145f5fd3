import { figure, HOUR_MS, offset, pValue, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { NodeProcess } from '../facts/processes.js';
import { firstDetection, testGrowth, type GrowthCriteria, type GrowthTest } from '../growth.js';
import { bucketSeries, trendBucketMs, type Point } from '../stats/index.js';
import type { Detector, Finding } from '../types.js';

/**
 * Ten handles is the least growth reported: fewer is within what connection churn and a pool opening
 * its connections move, while any leak tied to requests or reconnects passes it quickly.
 */
const MIN_RISE_HANDLES = 10;
const TOTAL = 'total';

interface TypeGrowth {
  type: string;
  points: Point[];
  growth: GrowthTest;
}

/**
 * One series per handle type and one for their total, after the warm-up. Each bucket keeps its
 * minimum: leaked handles never close, so they raise the floor, while sockets opened for a burst of
 * requests only raise peaks.
 */
function growingTypes(process: NodeProcess, criteria: GrowthCriteria, warmupMs: number, sampleIntervalMs: number): TypeGrowth[] {
  const keep = (t: number) => t >= process.firstT + warmupMs;
  const total = process.handlesTotal.points('min', keep);
  if (total.length === 0) return [];
  const bucketMs = trendBucketMs(total[total.length - 1]!.x - total[0]!.x, sampleIntervalMs);
  const series = new Map<string, Point[]>();
  for (const [type, counts] of process.handles) series.set(type, bucketSeries(counts.points('min', keep), bucketMs, 'min'));
  series.set(TOTAL, bucketSeries(total, bucketMs, 'min'));
  const found: TypeGrowth[] = [];
  for (const [type, points] of series) {
    const growth = testGrowth(points, criteria);
    if (growth?.passes) found.push({ type, points, growth });
  }
  return found.sort((a, b) => b.growth.slopePerMs - a.growth.slopePerMs);
}

function rateWords(perMs: number): string {
  const perMinute = perMs * 60_000;
  return perMinute >= 1 ? `${figure(perMinute)}/min` : `${figure(perMs * HOUR_MS)}/h`;
}

function finding(service: string, pid: number, grown: TypeGrowth[], criteria: GrowthCriteria, facts: RunFacts): Finding {
  const named = grown.filter((entry) => entry.type !== TOTAL);
  // The total can grow while no single type passes on its own: then the fastest-growing type is named.
  const lead = named[0] ?? grown[0]!;
  const what = lead.type === TOTAL ? 'handles (all types together)' : `${lead.type} handles`;
  const { growth } = lead;
  const at = firstDetection(lead.points, (prefix) => testGrowth(prefix, criteria)?.passes === true);
  const describe = (entry: TypeGrowth) => ({
    type: entry.type,
    perHour: round(entry.growth.slopePerMs * HOUR_MS),
    from: round(entry.growth.y0),
    to: round(entry.growth.y0 + entry.growth.rise),
    p: entry.growth.p,
  });
  const others = named.slice(1).map((entry) => entry.type);
  return {
    kind: 'handle-leak',
    severity: 'fail',
    title: `${what[0]!.toUpperCase()}${what.slice(1)} of ${service} grow ${rateWords(growth.slopePerMs)}`,
    service,
    at,
    evidence: {
      summary:
        `Active ${what} of ${service} (pid ${pid}) rose from ${figure(growth.y0)} to ${figure(growth.y0 + growth.rise)} between ` +
        `${offset(growth.windowStart, facts.startT)} and ${offset(growth.windowEnd, facts.startT)} (${rateWords(growth.slopePerMs)}, Mann-Kendall ` +
        `${pValue(growth.p)} over ${growth.n} points) and were still rising in the second half` +
        `${others.length > 0 ? `; ${others.join(', ')} grew too` : ''}. Handles that are never closed (timers, sockets, watchers) leak.`,
      type: lead.type,
      pid,
      perHour: round(growth.slopePerMs * HOUR_MS),
      perHourLow: round(growth.slopeLowPerMs * HOUR_MS),
      perHourHigh: round(growth.slopeHighPerMs * HOUR_MS),
      confidence: 0.95,
      p: growth.p,
      alpha: criteria.alpha,
      tau: round(growth.tau),
      n: growth.n,
      windowStart: growth.windowStart,
      windowEnd: growth.windowEnd,
      rise: round(growth.rise),
      growing: grown.map(describe),
      trend: { t0: growth.t0, y0: growth.y0, slopePerMs: growth.slopePerMs },
      values: lead.points.map((point) => ({ t: Math.round(point.x), count: point.y })),
    },
  };
}

/** Active handles (in total or of one type) that keep growing after the warm-up, per process. */
export const handleLeak: Detector = {
  name: 'handle-leak',
  detect(facts) {
    const criteria: GrowthCriteria = { alpha: facts.config.alpha, minSlopePerMs: 0, minRise: MIN_RISE_HANDLES };
    const findings: Finding[] = [];
    for (const service of facts.services.values()) {
      const leaks = [...service.nodeProcesses.values()]
        .map((process) => ({ pid: process.pid, grown: growingTypes(process, criteria, facts.config.warmupMs, facts.meta.sampleIntervalMs) }))
        .filter((leak) => leak.grown.length > 0)
        .sort((a, b) => b.grown[0]!.growth.slopePerMs - a.grown[0]!.growth.slopePerMs);
      const top = leaks[0];
      if (top) findings.push(finding(service.name, top.pid, top.grown, criteria, facts));
    }
    return findings;
  },
};
