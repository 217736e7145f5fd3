import { heapTrend } from '../analyze/regression/index.js';
import type { RunData } from '../analyze/types.js';
import type { LoadInterval, NodeProbeSample } from '../store/records.js';
import { MB, seriesOf, withData, type ChartSection, type ChartSpec, type SeriesSpec } from './chart-spec.js';

/**
 * Charts with both runs on one time axis (seconds since each run's start), each run in its own colour
 * on every chart: the baseline grey, the new run blue.
 */

export const runColors = { before: '#64748b', after: '#2563eb' } as const;

export interface ComparedRun {
  label: 'before' | 'after';
  run: RunData;
}

type Style = SeriesSpec['style'];

function both<T extends { t: number }>(runs: ComparedRun[], name: string, records: (run: RunData) => readonly T[], pick: (record: T, index: number) => number | undefined, style?: Style): SeriesSpec[] {
  return runs.map(({ label, run }) => ({ ...seriesOf(`${name ? `${name} ` : ''}${label}`, records(run), run.startT, pick, style), color: runColors[label] }));
}

const perSecond = (count: number, span: number) => (span > 0 ? (count * 1000) / span : undefined);

function loadSection(runs: ComparedRun[]): ChartSection {
  const streams = [...new Set(runs.flatMap(({ run }) => run.load.map((interval) => interval.stream)))];
  const of = (stream: string) => (run: RunData) => run.load.filter((interval) => interval.stream === stream);
  const answered = (stream: string) => (run: RunData) => of(stream)(run).filter((interval) => interval.latency.count > 0);
  const name = (stream: string, metric: string) => (streams.length > 1 ? `${stream} ${metric}` : metric);
  const charts: ChartSpec[] = [
    {
      id: 'compare-throughput',
      title: 'Throughput (completed)',
      unit: 'requests/s',
      series: withData(streams.flatMap((stream) => both<LoadInterval>(runs, streams.length > 1 ? stream : '', of(stream), (interval) => perSecond(interval.completed, interval.span)))),
      emptyNote: 'No load intervals in either run.',
    },
    {
      id: 'compare-latency',
      title: 'Latency per interval (p99 solid, p50 dashed)',
      unit: 'ms',
      series: withData(
        streams.flatMap((stream) => [
          ...both<LoadInterval>(runs, name(stream, 'p99'), answered(stream), (interval) => interval.latency.p99),
          ...both<LoadInterval>(runs, name(stream, 'p50'), answered(stream), (interval) => interval.latency.p50, 'dashed'),
        ]),
      ),
      emptyNote: 'No request completed in either run.',
    },
    {
      id: 'compare-errors',
      title: 'Errors and timeouts',
      unit: 'per second',
      series: withData(streams.flatMap((stream) => both<LoadInterval>(runs, streams.length > 1 ? stream : '', of(stream), (interval) => perSecond(interval.errors + interval.timeouts, interval.span)))),
      emptyNote: 'No load intervals in either run.',
    },
  ];
  return { title: 'Load', charts };
}

/** The fitted post-GC heap line of each run (as the regression test fits it), from its first to its last point. */
function trendLines(runs: ComparedRun[], service: string, warmupMs: number): SeriesSpec[] {
  return runs.flatMap(({ label, run }) => {
    const trend = heapTrend(run.node.get(service) ?? [], warmupMs, run.meta.sampleIntervalMs);
    if (!trend) return [];
    const { growth } = trend;
    const ends = [{ t: growth.windowStart }, { t: growth.windowEnd }];
    return [{ ...seriesOf(`fitted ${label}`, ends, run.startT, ({ t }) => (growth.y0 + growth.slopePerMs * (t - growth.t0)) / MB, 'dashed'), color: runColors[label] }];
  });
}

function serviceSection(runs: ComparedRun[], service: string, warmupMs: number): ChartSection {
  const node = (run: RunData) => run.node.get(service) ?? [];
  const os = (run: RunData) => run.os.get(service) ?? [];
  const pools = [...new Set(runs.flatMap(({ run }) => node(run).flatMap((sample) => Object.keys(sample.pools ?? {}))))];
  const probed = runs.some(({ run }) => node(run).length > 0);
  const charts: ChartSpec[] = [];
  if (probed) {
    charts.push(
      { id: `compare-heap-${service}`, title: 'Heap used', unit: 'MB', series: withData(both<NodeProbeSample>(runs, '', node, (sample) => sample.memory.heapUsed / MB)), emptyNote: 'No heap samples.' },
      {
        id: `compare-post-gc-${service}`,
        title: 'Heap after major GC, with its fitted trend',
        unit: 'MB',
        series: withData([
          ...both<NodeProbeSample>(runs, 'after GC', node, (sample) => (sample.postGcHeap === undefined ? undefined : sample.postGcHeap / MB), 'points'),
          ...trendLines(runs, service, warmupMs),
        ]),
        emptyNote: 'No major GC was recorded in either run.',
      },
      {
        id: `compare-loop-${service}`,
        title: 'Event-loop delay (p99 solid, max dashed)',
        unit: 'ms',
        series: withData([
          ...both<NodeProbeSample>(runs, 'p99', node, (sample) => sample.eventLoop.p99),
          ...both<NodeProbeSample>(runs, 'max', node, (sample) => sample.eventLoop.max, 'dashed'),
        ]),
        emptyNote: 'No event-loop samples.',
      },
      ...pools.map((pool) => ({
        id: `compare-pool-${service}-${pool}`,
        title: `Pool ${pool}: waiting (solid) and open (dashed)`,
        unit: 'connections / waiters',
        series: withData([
          ...both<NodeProbeSample>(runs, 'waiting', node, (sample) => sample.pools?.[pool]?.waiting),
          ...both<NodeProbeSample>(runs, 'open', node, (sample) => sample.pools?.[pool]?.total, 'dashed'),
        ]),
        emptyNote: `Pool ${pool} reported no figures.`,
      })),
    );
  }
  charts.push({ id: `compare-rss-${service}`, title: 'Resident memory of the process tree', unit: 'MB', series: withData(both(runs, '', os, (sample) => sample.rss / MB)), emptyNote: 'No process-tree samples.' });
  return { title: `Service ${service}`, charts };
}

/** Load first, then each service either run had, probed ones first. */
export function compareSections(runs: ComparedRun[], warmupMs: number): ChartSection[] {
  const services = [...new Set(runs.flatMap(({ run }) => [...run.node.keys(), ...run.os.keys()]))];
  const probed = (service: string) => runs.some(({ run }) => run.node.has(service));
  services.sort((a, b) => Number(!probed(a)) - Number(!probed(b)));
  return [loadSection(runs), ...services.map((service) => serviceSection(runs, service, warmupMs))];
}
