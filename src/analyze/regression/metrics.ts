import { MB } from '../../core/format.js';
import { LATENCY_KEYS } from '../../core/hdr.js';
import type { RunFacts } from '../facts/builder.js';
import type { Reduction, Series as FactSeries } from '../facts/series.js';
import type { ServiceFacts } from '../facts/service.js';
import { bucketSeries, quantile, type BucketReducer } from '../stats/index.js';
import { shiftTest } from '../stats/shift.js';
import type { Finding } from '../types.js';
import { comparableBases, compareBases, type RegressionCheck, type RegressionCriteria } from './checks.js';

/**
 * Every figure two runs share, side by side: the gating metrics as compareRegressions judges them,
 * and the rest (other percentiles, memory, event loop, pools) tested the same way, two-sided, for
 * the before/after report. Only the gating metrics can be a regression.
 */
export interface MetricRow {
  /** "stream http", "service api", "pool pg of api". */
  subject: string;
  metric: string;
  unit: 'ms' | 'req/s' | 'share' | 'MB' | 'MB/h' | '%' | 'waiting';
  before: number | null;
  after: number | null;
  /** after - before, in the unit. */
  difference: number | null;
  /** Two-sided p-value of the per-bucket test (heap slope: of the slope comparison). */
  p?: number;
  test?: string;
  significant: boolean;
  /** Set for the gating metrics. */
  regressed?: boolean;
  /** Why it was not tested. */
  untested?: string;
}

const difference = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

function fromCheck(check: RegressionCheck, alpha: number): MetricRow {
  const metric = { 'latency-p99': 'p99 latency', throughput: 'throughput', 'error-rate': 'error rate', 'heap-slope': 'heap slope' }[check.metric];
  const unit = ({ 'latency-p99': 'ms', throughput: 'req/s', 'error-rate': 'share', 'heap-slope': 'MB/h' } as const)[check.metric];
  const p = check.test?.p;
  return {
    subject: check.metric === 'heap-slope' ? `service ${check.subject}` : `stream ${check.subject}`,
    metric,
    unit,
    before: check.before,
    after: check.after,
    difference: difference(check.before, check.after),
    ...(p !== undefined ? { p, test: check.test!.test } : {}),
    significant: p !== undefined && p < alpha,
    regressed: check.regressed,
    ...(check.untested ? { untested: check.untested } : {}),
  };
}

function shiftRow(subject: string, metric: string, unit: MetricRow['unit'], before: number[], after: number[], whole: [number | null, number | null], alpha: number): MetricRow {
  const test = shiftTest(before, after);
  return {
    subject,
    metric,
    unit,
    before: whole[0],
    after: whole[1],
    difference: difference(whole[0], whole[1]),
    ...(test ? { p: test.p, test: test.test } : { untested: `too few buckets (${before.length} and ${after.length}; at least 5 each)` }),
    significant: test !== undefined && test.p < alpha,
  };
}

interface Series {
  metric: string;
  unit: MetricRow['unit'];
  reduce: BucketReducer;
  values: { t: number; y: number }[];
}

const reductionOf: Record<BucketReducer, Reduction> = { median: 'mean', max: 'max', min: 'min' };

function seriesOf(metric: string, unit: MetricRow['unit'], reduce: BucketReducer, series: FactSeries, scale = 1): Series {
  return { metric, unit, reduce, values: series.points(reductionOf[reduce]).map((point) => ({ t: point.x, y: point.y * scale })) };
}

/** Per-bucket values of a sampled figure after the warm-up, and the same reduction over the whole judged stretch. */
function sampled(series: Series, fromT: number, bucketMs: number): { buckets: number[]; whole: number | null } {
  const points = series.values.filter((value) => value.t >= fromT).map((value) => ({ x: value.t, y: value.y }));
  if (points.length === 0) return { buckets: [], whole: null };
  const ys = points.map((point) => point.y);
  const whole = series.reduce === 'median' ? quantile(ys, 0.5) : series.reduce === 'max' ? Math.max(...ys) : Math.min(...ys);
  return { buckets: bucketSeries(points, bucketMs, series.reduce).map((point) => point.y), whole };
}

function serviceSeries(service: ServiceFacts | undefined): Series[] {
  if (!service) return [];
  const node: Series[] = service.probed
    ? [
        seriesOf('heapUsed', 'MB', 'median', service.heapUsed, 1 / MB),
        seriesOf('event-loop delay p99', 'ms', 'max', service.loopP99),
        seriesOf('event-loop utilisation', '%', 'median', service.utilization, 100),
        ...[...service.pools].map(([pool, series]) => seriesOf(`pool ${pool} waiting`, 'waiting', 'max', series.waiting)),
      ]
    : [];
  const os: Series[] = service.treeRss.samples > 0 ? [seriesOf('RSS of the process tree', 'MB', 'median', service.treeRss, 1 / MB), seriesOf('CPU of the process tree', '%', 'median', service.treeCpu)] : [];
  return [...node, ...os];
}

function serviceRows(before: RunFacts, after: RunFacts, criteria: RegressionCriteria, bucketMs: number): MetricRow[] {
  const services = [...after.services.keys()].filter((service) => before.services.has(service));
  return services.flatMap((service) => {
    const [seriesBefore, seriesAfter] = [serviceSeries(before.services.get(service)), serviceSeries(after.services.get(service))];
    return seriesAfter.flatMap((entry) => {
      const match = seriesBefore.find((other) => other.metric === entry.metric);
      if (!match || entry.values.length === 0 || match.values.length === 0) return [];
      const a = sampled(match, before.startT + criteria.warmupMs, bucketMs);
      const b = sampled(entry, after.startT + criteria.warmupMs, bucketMs);
      return [shiftRow(`service ${service}`, entry.metric, entry.unit, a.buckets, b.buckets, [a.whole, b.whole], criteria.alpha)];
    });
  });
}

export interface RunComparison {
  bucketMs: number;
  checks: RegressionCheck[];
  rows: MetricRow[];
}

/** Two runs read back from disk, compared on every metric they share. */
export function compareRuns(before: RunFacts, after: RunFacts, criteria: RegressionCriteria): RunComparison {
  const bases = comparableBases(before, after, criteria);
  const checks = compareBases(bases.before, bases.after, criteria, after.endT);
  const rows: MetricRow[] = [];
  for (const [stream, basis] of Object.entries(bases.after.streams)) {
    const base = bases.before.streams[stream];
    if (!base) continue;
    for (const key of LATENCY_KEYS) {
      const check = key === 'p99' ? checks.find((entry) => entry.metric === 'latency-p99' && entry.subject === stream) : undefined;
      rows.push(
        check
          ? fromCheck(check, criteria.alpha)
          : shiftRow(`stream ${stream}`, `${key} latency`, 'ms', base.buckets.latency[key], basis.buckets.latency[key], [base.figures.latency[key], basis.figures.latency[key]], criteria.alpha),
      );
    }
    for (const check of checks.filter((entry) => entry.subject === stream && entry.metric !== 'latency-p99')) rows.push(fromCheck(check, criteria.alpha));
  }
  for (const check of checks.filter((entry) => entry.metric === 'heap-slope')) rows.push(fromCheck(check, criteria.alpha));
  rows.push(...serviceRows(before, after, criteria, bases.after.bucketMs));
  return { bucketMs: bases.after.bucketMs, checks, rows };
}

export interface FindingsDiff {
  appeared: Finding[];
  disappeared: Finding[];
  /** In both runs: the after run's finding. */
  persisted: Finding[];
}

/** A finding's identity across runs: its kind and what it is about, not its figures. */
const identity = (finding: Finding) =>
  [finding.kind, finding.service ?? '', String(finding.evidence.scope ?? finding.evidence.pool ?? finding.evidence.percentile ?? finding.evidence.subject ?? '')].join('\u0000');

export function diffFindings(before: Finding[], after: Finding[]): FindingsDiff {
  const beforeKeys = new Set(before.map(identity));
  const afterKeys = new Set(after.map(identity));
  return {
    appeared: after.filter((finding) => !beforeKeys.has(identity(finding))),
    disappeared: before.filter((finding) => !afterKeys.has(identity(finding))),
    persisted: after.filter((finding) => beforeKeys.has(identity(finding))),
  };
}
