import type { RunData } from '../analyze/types.js';
import type { LoadInterval } from '../store/records.js';
import { seriesOf, withData, type ChartSection, type SeriesSpec } from './chart-spec.js';

/** Outcomes that are not failures: status classes 2xx/3xx, single 2xx/3xx codes, and "ok". */
const successOutcome = /^(?:[23]xx|[23]\d\d|ok|success)$/i;

function byStream(intervals: LoadInterval[]): Map<string, LoadInterval[]> {
  const streams = new Map<string, LoadInterval[]>();
  for (const interval of intervals) {
    const list = streams.get(interval.stream);
    if (list) list.push(interval);
    else streams.set(interval.stream, [interval]);
  }
  return streams;
}

const perSecond = (count: number, span: number) => (span > 0 ? (count * 1000) / span : undefined);

/** Per-second rate of each failing outcome, summed over streams on a one-second grid. */
function errorSeries(run: RunData): SeriesSpec[] {
  const seconds = new Set<number>();
  const byOutcome = new Map<string, Map<number, number>>();
  for (const interval of run.load) {
    const second = Math.round((interval.t - run.startT) / 1000);
    seconds.add(second);
    for (const [outcome, count] of Object.entries(interval.outcomes)) {
      if (successOutcome.test(outcome) || count === 0) continue;
      let bins = byOutcome.get(outcome);
      if (!bins) byOutcome.set(outcome, (bins = new Map()));
      bins.set(second, (bins.get(second) ?? 0) + (perSecond(count, interval.span) ?? 0));
    }
  }
  const grid = [...seconds].sort((a, b) => a - b).map((second) => ({ t: run.startT + second * 1000, second }));
  return [...byOutcome.entries()].map(([outcome, bins]) => seriesOf(outcome, grid, run.startT, (cell) => bins.get(cell.second) ?? 0));
}

export function loadSection(run: RunData): ChartSection {
  const streams = byStream(run.load);
  const prefix = (stream: string) => (streams.size > 1 ? `${stream}: ` : '');
  const rps: SeriesSpec[] = [];
  const latency: SeriesSpec[] = [];
  for (const [stream, intervals] of streams) {
    rps.push(
      seriesOf(`${prefix(stream)}completed`, intervals, run.startT, (interval) => perSecond(interval.completed, interval.span)),
      seriesOf(`${prefix(stream)}offered`, intervals, run.startT, (interval) => interval.offeredRate ?? perSecond(interval.scheduled, interval.span), 'dashed'),
    );
    const answered = intervals.filter((interval) => interval.latency.count > 0);
    for (const percentile of ['p50', 'p90', 'p99', 'max'] as const) {
      latency.push(seriesOf(`${prefix(stream)}${percentile}`, answered, run.startT, (interval) => interval.latency[percentile]));
    }
    // soak's own lateness beside the latency it is part of: a generator that fell behind is not a slow target.
    latency.push(seriesOf(`${prefix(stream)}soak send lag p99`, intervals, run.startT, (interval) => interval.generator?.sendLag?.p99, 'dashed'));
  }
  return {
    title: 'Load',
    charts: [
      { id: 'load-rps', title: 'Throughput', unit: 'requests/s', series: withData(rps), emptyNote: 'No load intervals were recorded.' },
      { id: 'load-latency', title: 'Latency per interval', unit: 'ms', series: withData(latency), emptyNote: 'No request completed, so there is no latency to chart.' },
      { id: 'load-errors', title: 'Errors by outcome', unit: 'per second', series: withData(errorSeries(run)), emptyNote: 'No errors or timeouts were recorded.' },
    ],
  };
}
