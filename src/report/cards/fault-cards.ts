import type { RunFacts } from '../../analyze/facts/builder.js';
import { BASELINE_MS, CATCH_UP_MAX_MS } from '../../analyze/facts/faults.js';
import { perSecond } from '../../analyze/facts/figures.js';
import type { Finding } from '../../analyze/types.js';
import { chartSeconds, seriesOf, type SeriesSpec } from '../chart-spec.js';
import { streamBuckets } from '../load-charts.js';
import { CARD_POINTS, numberAt, type CardChart } from './card-chart.js';

/** Served throughput (left axis) and p99 latency (right axis) of each stream from `from` to `to`, epoch ms. */
function loadAround(facts: RunFacts, from: number, to: number, window: CardChart['window']): CardChart {
  const streams = streamBuckets(facts);
  const prefix = (stream: string) => (streams.size > 1 ? `${stream}: ` : '');
  const served: SeriesSpec[] = [];
  const p99: SeriesSpec[] = [];
  for (const [stream, all] of streams) {
    const buckets = all.filter((bucket) => bucket.t >= from && bucket.from <= to);
    served.push(seriesOf(`${prefix(stream)}served/s`, buckets, facts.startT, (bucket) => perSecond(bucket.served, bucket.spanMs), undefined, CARD_POINTS));
    p99.push({ ...seriesOf(`${prefix(stream)}p99 (ms)`, buckets, facts.startT, (bucket) => (bucket.latency.count > 0 ? bucket.latency.p99 : null), undefined, CARD_POINTS), axis: 'right' });
  }
  return { title: 'Load around the fault', unit: 'requests/s', unitRight: 'p99 ms', series: [...served, ...p99], window, range: [chartSeconds(from, facts.startT), chartSeconds(to, facts.startT)] };
}

const spanOf = (value: unknown) => value as Record<string, unknown> | undefined;

/** The fault's impact: the baseline before it (marked), the fault (shaded as on every chart) and the catch-up after it. */
export function faultImpactCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  const baselineStart = numberAt(spanOf(finding.evidence.baselineWindow), 'start');
  const start = numberAt(spanOf(finding.evidence.window), 'start');
  const end = numberAt(spanOf(finding.evidence.window), 'end');
  if (baselineStart === undefined || start === undefined || end === undefined) return undefined;
  const to = Math.min(facts.endT, end + 2 * CATCH_UP_MAX_MS);
  return loadAround(facts, baselineStart, to, { start: chartSeconds(baselineStart, facts.startT), end: chartSeconds(start, facts.startT), label: 'baseline' });
}

/** The load from the baseline before the fault until a while after its recovery (or its budget), the recovery marked. */
export function recoveryCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  const { evidence } = finding;
  const faultEnd = numberAt(evidence, 'faultEnd');
  const budgetMs = numberAt(evidence, 'budgetMs');
  const span = facts.faults.find((fault) => fault.fault === evidence.fault && fault.end === faultEnd);
  if (!span || faultEnd === undefined || budgetMs === undefined) return undefined;
  const recoveryMs = numberAt(evidence, 'recoveryMs');
  const watched = recoveryMs ?? budgetMs;
  const to = Math.min(facts.endT, faultEnd + 2 * Math.max(budgetMs, watched));
  const label = recoveryMs !== undefined ? 'recovery' : 'recovery budget';
  return loadAround(facts, span.start - BASELINE_MS, to, { start: chartSeconds(faultEnd, facts.startT), end: chartSeconds(faultEnd + watched, facts.startT), label });
}
