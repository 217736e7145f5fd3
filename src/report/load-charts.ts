import type { LoadBucket } from '../analyze/facts/buckets.js';
import type { RunFacts } from '../analyze/facts/builder.js';
import { perSecond } from '../analyze/facts/figures.js';
import { seriesOf, withData, type ChartSection, type SeriesSpec } from './chart-spec.js';

/** Outcomes that are not failures: status classes 2xx/3xx, single 2xx/3xx codes, and "ok". */
const SUCCESS_OUTCOME = /^(?:[23]xx|[23]\d\d|ok|success)$/i;

/** Each stream's buckets over the whole run, its phases one after another. */
export function streamBuckets(facts: RunFacts): Map<string, LoadBucket[]> {
  const streams = new Map<string, LoadBucket[]>();
  for (const cell of facts.load.cells.values()) {
    const list = streams.get(cell.stream) ?? [];
    list.push(...cell.buckets.all());
    streams.set(cell.stream, list);
  }
  for (const list of streams.values()) list.sort((a, b) => a.t - b.t);
  return streams;
}

/** Per-second rate of each failing outcome, summed over streams bucket by bucket. */
function errorSeries(facts: RunFacts, streams: Map<string, LoadBucket[]>): SeriesSpec[] {
  const grid = new Map<number, { t: number; rates: Map<string, number> }>();
  for (const buckets of streams.values()) {
    for (const bucket of buckets) {
      const cell = grid.get(bucket.index) ?? { t: bucket.t, rates: new Map<string, number>() };
      cell.t = Math.max(cell.t, bucket.t);
      for (const [outcome, count] of Object.entries(bucket.outcomes)) {
        if (SUCCESS_OUTCOME.test(outcome) || count === 0) continue;
        cell.rates.set(outcome, (cell.rates.get(outcome) ?? 0) + perSecond(count, bucket.spanMs));
      }
      grid.set(bucket.index, cell);
    }
  }
  const cells = [...grid.values()].sort((a, b) => a.t - b.t);
  const outcomes = [...new Set(cells.flatMap((cell) => [...cell.rates.keys()]))];
  return outcomes.map((outcome) => seriesOf(outcome, cells, facts.startT, (cell) => cell.rates.get(outcome) ?? 0));
}

export function loadSection(facts: RunFacts): ChartSection {
  const streams = streamBuckets(facts);
  const prefix = (stream: string) => (streams.size > 1 ? `${stream}: ` : '');
  const rps: SeriesSpec[] = [];
  const latency: SeriesSpec[] = [];
  for (const [stream, buckets] of streams) {
    rps.push(
      seriesOf(`${prefix(stream)}completed`, buckets, facts.startT, (bucket) => perSecond(bucket.completed, bucket.spanMs)),
      seriesOf(`${prefix(stream)}offered`, buckets, facts.startT, (bucket) => bucket.offeredRate ?? perSecond(bucket.scheduled, bucket.spanMs), 'dashed'),
    );
    const answered = buckets.filter((bucket) => bucket.latency.count > 0);
    for (const percentile of ['p50', 'p90', 'p99', 'max'] as const) {
      latency.push(seriesOf(`${prefix(stream)}${percentile}`, answered, facts.startT, (bucket) => bucket.latency[percentile] ?? undefined));
    }
    // soak's own lateness beside the latency it is part of: a generator that fell behind is not a slow target.
    latency.push(seriesOf(`${prefix(stream)}soak send lag p99`, buckets, facts.startT, (bucket) => bucket.sendLagP99, 'dashed'));
  }
  return {
    title: 'Load',
    charts: [
      { id: 'load-rps', title: 'Throughput', unit: 'requests/s', series: withData(rps), emptyNote: 'No load intervals were recorded.' },
      { id: 'load-latency', title: 'Latency per interval', unit: 'ms', series: withData(latency), emptyNote: 'No request completed, so there is no latency to chart.' },
      { id: 'load-errors', title: 'Errors by outcome', unit: 'per second', series: withData(errorSeries(facts, streams)), emptyNote: 'No errors or timeouts were recorded.' },
    ],
  };
}
