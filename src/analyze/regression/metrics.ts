import { figure, MB, pValue } from '../../core/format.js';
import { LATENCY_KEYS } from '../../core/hdr.js';
import type { RunFacts } from '../facts/builder.js';
import type { Reduction, Series as FactSeries } from '../facts/series.js';
import type { ServiceFacts } from '../facts/service.js';
import { bucketSeries, quantile, type BucketReducer } from '../stats/index.js';
import { shiftTest } from '../stats/shift.js';
import type { Finding } from '../types.js';
import { warmupEnd } from './basis.js';
import { testedBuckets, untestedWords, type CheckOutcome, type RegressionCheck, type RegressionCriteria, type TestedStatistic } from './check.js';
import { comparableBases, compareBases, type RunFindings } from './checks.js';

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
  /** Each run's figure over the whole judged part (heap slope: the fitted slope). */
  before: number | null;
  after: number | null;
  /** after - before, in the unit. */
  difference: number | null;
  /** The statistic that was tested: per-bucket medians and their shift (heap slope: the slopes and their difference). */
  tested?: TestedStatistic;
  /** Two-sided p-value of the per-bucket test (heap slope: of the slope comparison). */
  p?: number;
  test?: string;
  significant: boolean;
  /** Set for the gating metrics. */
  regressed?: boolean;
  outcome?: CheckOutcome;
  /** The result in a few words, and why in one sentence (empty when the words say it all). */
  verdict: string;
  reason: string;
  /** Why it was not tested. */
  untested?: string;
}

const difference = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

const GATING = {
  'latency-p99': { metric: 'p99 latency', unit: 'ms' },
  throughput: { metric: 'throughput', unit: 'req/s' },
  'error-rate': { metric: 'error rate', unit: 'share' },
  'heap-slope': { metric: 'heap slope', unit: 'MB/h' },
} as const;

function fromCheck(check: RegressionCheck, alpha: number): MetricRow {
  const p = check.test?.p;
  return {
    subject: check.metric === 'heap-slope' ? `service ${check.subject}` : `stream ${check.subject}`,
    ...GATING[check.metric],
    before: check.before,
    after: check.after,
    difference: difference(check.before, check.after),
    ...(check.tested ? { tested: check.tested } : {}),
    ...(p !== undefined ? { p, test: check.test!.test } : {}),
    significant: p !== undefined && p < alpha,
    regressed: check.regressed,
    outcome: check.outcome,
    verdict: check.verdict,
    reason: check.reason,
    ...(check.untested ? { untested: check.untested } : {}),
  };
}

/** A whole-run figure at least this many times the other's (either way) is not "no change", whatever the per-bucket test says. */
const LARGE_RATIO = 2;

function wholeRatio(whole: [number | null, number | null]): number | undefined {
  const [before, after] = whole;
  if (before === null || after === null || before <= 0 || after <= 0) return undefined;
  return after / before;
}

/** A figure that cannot be a regression, tested two-sided; a large whole-run change the buckets do not show is said so. */
function shiftRow(subject: string, metric: string, unit: MetricRow['unit'], before: number[], after: number[], whole: [number | null, number | null], alpha: number, bucketMs: number): MetricRow {
  const test = shiftTest(before, after);
  const ratio = wholeRatio(whole);
  const large = ratio !== undefined && (ratio >= LARGE_RATIO || ratio <= 1 / LARGE_RATIO) ? `the whole-run figure moved ×${figure(ratio)}` : '';
  const base = { subject, metric, unit, before: whole[0], after: whole[1], difference: difference(whole[0], whole[1]) };
  if (!test) {
    const untested = untestedWords(before, after, bucketMs);
    return { ...base, significant: false, verdict: 'not tested', reason: [untested, large].filter(Boolean).join('; '), untested };
  }
  const tested = testedBuckets(test, bucketMs);
  const significant = test.p < alpha;
  const verdict = significant ? `significant change (p < ${alpha})` : large ? 'changed in a few buckets' : 'no significant change';
  const reason = !significant && large ? `${large}, but the per-bucket medians do not differ significantly (${pValue(test.p)}): too few of the buckets changed for the per-bucket test` : '';
  return { ...base, tested, p: test.p, test: test.test, significant, verdict, reason };
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
      const a = sampled(match, warmupEnd(before, criteria.warmupMs), bucketMs);
      const b = sampled(entry, warmupEnd(after, criteria.warmupMs), bucketMs);
      return [shiftRow(`service ${service}`, entry.metric, entry.unit, a.buckets, b.buckets, [a.whole, b.whole], criteria.alpha, bucketMs)];
    });
  });
}

export interface RunComparison {
  bucketMs: number;
  checks: RegressionCheck[];
  rows: MetricRow[];
}

/** Two runs read back from disk, compared on every metric they share; with their findings, each heap line carries its memory-leak verdict. */
export function compareRuns(before: RunFacts, after: RunFacts, criteria: RegressionCriteria, findings: RunFindings = {}): RunComparison {
  const bases = comparableBases(before, after, criteria, findings);
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
          : shiftRow(`stream ${stream}`, `${key} latency`, 'ms', base.buckets.latency[key], basis.buckets.latency[key], [base.figures.latency[key], basis.figures.latency[key]], criteria.alpha, bases.after.bucketMs),
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
