import { figure, HOUR_MS, offset, pValue, round } from '../../core/format.js';
import { growthAgainstLoad, type Gauge, type LoadJudgement } from '../against-load.js';
import type { RunFacts } from '../facts/builder.js';
import type { NodeProcess } from '../facts/processes.js';
import { firstDetection, type GrowthCriteria, type GrowthTest } from '../growth.js';
import { bucketSeries, trendBucketMs, type Point } from '../stats/index.js';
import type { Detector, Finding } from '../types.js';
import { loadGauge, trendTimes } from './trend-input.js';

/**
 * Ten handles is the least growth reported: fewer is within what connection churn and a pool opening
 * its connections move, while any leak tied to requests or reconnects passes it quickly.
 */
const MIN_RISE_HANDLES = 10;
const TOTAL = 'total';

interface TypeGrowth {
  type: string;
  points: Point[];
  gauge: Gauge | undefined;
  judgement: LoadJudgement;
  /** Growth beyond what the load holds (the raw growth when the load explains none of it). */
  growth: GrowthTest;
}

const leaks = (judgement: LoadJudgement | undefined) => judgement !== undefined && !judgement.confounded && judgement.beyond.passes;

/**
 * One series per handle type and one for their total, after the warm-up and outside faults (see
 * trendTimes), each judged against what the load holds: a WebSocket or a keep-alive connection held
 * is a socket handle, and more of them is no leak. Each bucket keeps its minimum: leaked handles never
 * close, so they raise the floor, while sockets opened for a burst of requests only raise peaks.
 */
function judgedTypes(facts: RunFacts, service: string, process: NodeProcess, criteria: GrowthCriteria): TypeGrowth[] {
  const keep = trendTimes(facts, process.firstT);
  const total = process.handlesTotal.points('min', keep);
  if (total.length === 0) return [];
  const bucketMs = trendBucketMs(total[total.length - 1]!.x - total[0]!.x, facts.meta.sampleIntervalMs);
  const found = loadGauge(facts, service, keep);
  const gauge: Gauge | undefined = found && { ...found, reduce: 'min' };
  const series = new Map<string, Point[]>();
  for (const [type, counts] of process.handles) series.set(type, bucketSeries(counts.points('min', keep), bucketMs, 'min'));
  series.set(TOTAL, bucketSeries(total, bucketMs, 'min'));
  return [...series].flatMap(([type, points]) => {
    const judgement = growthAgainstLoad(points, gauge, criteria);
    return judgement ? [{ type, points, gauge, judgement, growth: judgement.beyond }] : [];
  });
}

function rateWords(perMs: number): string {
  const perMinute = perMs * 60_000;
  return perMinute >= 1 ? `${figure(perMinute)}/min` : `${figure(perMs * HOUR_MS)}/h`;
}

function loadWords(lead: TypeGrowth): string {
  const { perUnit, gauge } = lead.judgement;
  if (!perUnit || !gauge) return '';
  return ` That is beyond what the load holds: about ${figure(perUnit.slope)} per ${gauge.unit} (${figure(gauge.from)} to ${figure(gauge.to)}) is left out of the rate.`;
}

function leakFinding(service: string, pid: number, grown: TypeGrowth[], criteria: GrowthCriteria, facts: RunFacts): Finding {
  const named = grown.filter((entry) => entry.type !== TOTAL);
  // The total can grow while no single type passes on its own: then the fastest-growing type is named.
  const lead = named[0] ?? grown[0]!;
  const what = lead.type === TOTAL ? 'handles (all types together)' : `${lead.type} handles`;
  const { growth } = lead;
  const at = firstDetection(lead.points, (prefix) => leaks(growthAgainstLoad(prefix, lead.gauge, criteria)));
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
        `${pValue(growth.p)} over ${growth.n} points) and were still rising at the end` +
        `${others.length > 0 ? `; ${others.join(', ')} grew too` : ''}.${loadWords(lead)} Handles that are never closed (timers, sockets, watchers) leak.`,
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
      ...(lead.judgement.perUnit && lead.judgement.gauge ? { perLoadUnit: round(lead.judgement.perUnit.slope), loadUnit: lead.judgement.gauge.unit } : {}),
      growing: grown.map(describe),
      trend: { t0: growth.t0, y0: growth.y0, slopePerMs: growth.slopePerMs },
      values: lead.points.map((point) => ({ t: Math.round(point.x), count: point.y })),
    },
  };
}

/** Handles (all types together) that grew with the load: info, or warn when the load only rose and a leak cannot be told apart. */
function withLoadFinding(service: string, pid: number, total: TypeGrowth, facts: RunFacts): Finding {
  const { raw, gauge, perUnit, confounded } = total.judgement;
  const rose = `Active handles of ${service} (pid ${pid}) rose from ${figure(raw.y0)} to ${figure(raw.y0 + raw.rise)} between ${offset(raw.windowStart, facts.startT)} and ${offset(raw.windowEnd, facts.startT)}`;
  const each = perUnit ? `about ${figure(perUnit.slope)} per ${gauge!.unit}` : '';
  const summary = confounded
    ? `${rose} while the load rose steadily from ${figure(gauge!.from)} to ${figure(gauge!.to)} (${gauge!.unit}): ${each} if it is all the load's. The load never held steady in the window, so this cannot be told from a leak: hold the load steady for part of the run to tell.`
    : `${rose} while the load held ${figure(gauge!.from)} to ${figure(gauge!.to)} (${gauge!.unit}): ${each}. Beyond that they do not grow: handles that follow the load they serve are not a leak.`;
  return {
    kind: 'handles-with-load',
    severity: confounded ? 'warn' : 'info',
    title: confounded ? `Handles of ${service} grow with a load that only rose: leak or load cannot be told apart` : `Handles of ${service} grow with the load: ${each}`,
    service,
    evidence: {
      summary,
      pid,
      perLoadUnit: perUnit ? round(perUnit.slope) : null,
      loadUnit: gauge!.unit,
      loadFrom: round(gauge!.from),
      loadTo: round(gauge!.to),
      rise: round(raw.rise),
      windowStart: raw.windowStart,
      windowEnd: raw.windowEnd,
      confounded,
    },
  };
}

/** Active handles (in total or of one type) that keep growing after the warm-up beyond what the load holds, per process. */
export const handleLeak: Detector = {
  name: 'handle-leak',
  detect(facts) {
    const criteria: GrowthCriteria = { alpha: facts.config.alpha, minSlopePerMs: 0, minRise: MIN_RISE_HANDLES };
    const findings: Finding[] = [];
    for (const service of facts.services.values()) {
      const judged = [...service.nodeProcesses.values()].map((process) => ({ pid: process.pid, types: judgedTypes(facts, service.name, process, criteria) }));
      const leaking = judged
        .map((entry) => ({ pid: entry.pid, grown: entry.types.filter((type) => leaks(type.judgement)).sort((a, b) => b.growth.slopePerMs - a.growth.slopePerMs) }))
        .filter((entry) => entry.grown.length > 0)
        .sort((a, b) => b.grown[0]!.growth.slopePerMs - a.grown[0]!.growth.slopePerMs);
      const top = leaking[0];
      if (top) {
        findings.push(leakFinding(service.name, top.pid, top.grown, criteria, facts));
        continue;
      }
      const withLoad = judged.flatMap((entry) => {
        const total = entry.types.find((type) => type.type === TOTAL);
        const grew = total && total.judgement.gauge && (total.judgement.confounded ? total.judgement.raw.passes : total.judgement.perUnit !== undefined && total.judgement.raw.grows);
        return grew ? [{ pid: entry.pid, total }] : [];
      });
      const shown = withLoad[0];
      if (shown) findings.push(withLoadFinding(service.name, shown.pid, shown.total, facts));
    }
    return findings;
  },
};
