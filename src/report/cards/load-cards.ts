import type { LoadBucket } from '../../analyze/facts/buckets.js';
import type { RunFacts } from '../../analyze/facts/builder.js';
import { errorRateOf } from '../../analyze/facts/figures.js';
import type { Finding } from '../../analyze/types.js';
import { LATENCY_KEYS, type LatencyKey } from '../../core/hdr.js';
import { seriesOf, type SeriesSpec } from '../chart-spec.js';
import { streamBuckets } from '../load-charts.js';
import { CARD_POINTS, judgedWindow, limitLine, numberAt, timedAt, type CardChart } from './card-chart.js';

/** One line per stream of a figure of each load bucket (a null is a gap: nothing ended there). */
function perStream(facts: RunFacts, label: string, pick: (bucket: LoadBucket) => number | null): SeriesSpec[] {
  const streams = streamBuckets(facts);
  return [...streams].map(([stream, buckets]) => seriesOf(streams.size > 1 ? `${stream}: ${label}` : label, buckets, facts.startT, pick, undefined, CARD_POINTS));
}

/** The share of requests that failed per interval against the error-rate budget. */
export function errorRateCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  const budget = numberAt(finding.evidence, 'budget');
  return {
    title: 'Failed requests per interval',
    unit: '% of requests',
    series: [
      ...perStream(facts, 'failed', (bucket) => {
        const rate = errorRateOf(bucket);
        return rate === null ? null : rate * 100;
      }),
      ...(budget !== undefined ? [limitLine('budget', budget * 100, facts)] : []),
    ],
    window: judgedWindow(finding, facts, 'judged window'),
  };
}

/** The percentile a latency budget names, per interval, the intervals over it, and the budget. */
export function latencyCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  const key = LATENCY_KEYS.find((entry) => entry === finding.evidence.percentile) as LatencyKey | undefined;
  if (!key) return undefined;
  const budget = numberAt(finding.evidence, 'budgetMs');
  return {
    title: `${key} latency per interval`,
    unit: 'ms',
    series: [
      ...perStream(facts, key, (bucket) => (bucket.latency.count > 0 ? (bucket.latency[key] ?? null) : null)),
      seriesOf('intervals over budget', timedAt(finding.evidence, 'breaches'), facts.startT, (breach) => numberAt(breach, 'valueMs'), 'points', CARD_POINTS),
      ...(budget !== undefined ? [limitLine('budget', budget, facts)] : []),
    ],
  };
}
