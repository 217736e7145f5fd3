import type { LoadBucket } from '../analyze/facts/buckets.js';
import type { RunFacts } from '../analyze/facts/builder.js';
import { failedOf, perSecond } from '../analyze/facts/figures.js';
import type { Series } from '../analyze/facts/series.js';
import type { ServiceFacts } from '../analyze/facts/service.js';
import { heapTrend } from '../analyze/regression/index.js';
import { MB } from '../core/format.js';
import { seriesFrom, seriesOf, withData, type ChartSection, type ChartSpec, type SeriesSpec } from './chart-spec.js';
import { streamBuckets } from './load-charts.js';

/**
 * Charts with both runs on one time axis (seconds since each run's start), each run in its own colour
 * on every chart: the baseline grey, the new run blue.
 */

export const runColors = { before: '#64748b', after: '#2563eb' } as const;

export interface ComparedRun {
  label: 'before' | 'after';
  run: RunFacts;
}

type Style = SeriesSpec['style'];

function bothBuckets(runs: ComparedRun[], name: string, stream: string, pick: (bucket: LoadBucket) => number | undefined, answered = false, style?: Style): SeriesSpec[] {
  return runs.map(({ label, run }) => {
    const buckets = (streamBuckets(run).get(stream) ?? []).filter((bucket) => !answered || bucket.latency.count > 0);
    return { ...seriesOf(`${name ? `${name} ` : ''}${label}`, buckets, run.startT, pick, style), color: runColors[label] };
  });
}

function bothSeries(runs: ComparedRun[], name: string, series: (service: ServiceFacts | undefined) => Series | undefined, service: string, scale = 1, style?: Style): SeriesSpec[] {
  return runs.flatMap(({ label, run }) => {
    const found = series(run.services.get(service));
    return found ? [{ ...seriesFrom(`${name ? `${name} ` : ''}${label}`, found, run.startT, scale, style), color: runColors[label] }] : [];
  });
}

function loadSection(runs: ComparedRun[]): ChartSection {
  const streams = [...new Set(runs.flatMap(({ run }) => [...run.load.streams.keys()]))];
  const name = (stream: string, metric: string) => (streams.length > 1 ? `${stream} ${metric}` : metric);
  const charts: ChartSpec[] = [
    {
      id: 'compare-throughput',
      title: 'Throughput (completed)',
      unit: 'requests/s',
      series: withData(streams.flatMap((stream) => bothBuckets(runs, streams.length > 1 ? stream : '', stream, (bucket) => perSecond(bucket.completed, bucket.spanMs)))),
      emptyNote: 'No load intervals in either run.',
    },
    {
      id: 'compare-latency',
      title: 'Latency per interval (p99 solid, p50 dashed)',
      unit: 'ms',
      series: withData(
        streams.flatMap((stream) => [
          ...bothBuckets(runs, name(stream, 'p99'), stream, (bucket) => bucket.latency.p99 ?? undefined, true),
          ...bothBuckets(runs, name(stream, 'p50'), stream, (bucket) => bucket.latency.p50 ?? undefined, true, 'dashed'),
        ]),
      ),
      emptyNote: 'No request completed in either run.',
    },
    {
      id: 'compare-errors',
      title: 'Errors and timeouts',
      unit: 'per second',
      series: withData(streams.flatMap((stream) => bothBuckets(runs, streams.length > 1 ? stream : '', stream, (bucket) => perSecond(failedOf(bucket), bucket.spanMs)))),
      emptyNote: 'No load intervals in either run.',
    },
  ];
  return { title: 'Load', charts };
}

/** The fitted post-GC heap line of each run (as the regression test fits it), from its first to its last point. */
function trendLines(runs: ComparedRun[], service: string, warmupMs: number): SeriesSpec[] {
  return runs.flatMap(({ label, run }) => {
    const trend = heapTrend(run, service, warmupMs);
    if (!trend) return [];
    const { growth } = trend;
    const ends = [{ t: growth.windowStart }, { t: growth.windowEnd }];
    return [{ ...seriesOf(`fitted ${label}`, ends, run.startT, ({ t }) => (growth.y0 + growth.slopePerMs * (t - growth.t0)) / MB, 'dashed'), color: runColors[label] }];
  });
}

function serviceSection(runs: ComparedRun[], service: string, warmupMs: number): ChartSection {
  const pools = [...new Set(runs.flatMap(({ run }) => [...(run.services.get(service)?.pools.keys() ?? [])]))];
  const probed = runs.some(({ run }) => run.services.get(service)?.probed);
  const charts: ChartSpec[] = [];
  if (probed) {
    charts.push(
      { id: `compare-heap-${service}`, title: 'Heap used', unit: 'MB', series: withData(bothSeries(runs, '', (facts) => facts?.heapUsed, service, 1 / MB)), emptyNote: 'No heap samples.' },
      {
        id: `compare-post-gc-${service}`,
        title: 'Heap after major GC, with its fitted trend',
        unit: 'MB',
        series: withData([...bothSeries(runs, 'after GC', (facts) => facts?.postGc, service, 1 / MB, 'points'), ...trendLines(runs, service, warmupMs)]),
        emptyNote: 'No major GC was recorded in either run.',
      },
      {
        id: `compare-loop-${service}`,
        title: 'Event-loop delay (p99 solid, max dashed)',
        unit: 'ms',
        series: withData([...bothSeries(runs, 'p99', (facts) => facts?.loopP99, service), ...bothSeries(runs, 'max', (facts) => facts?.loopMax, service, 1, 'dashed')]),
        emptyNote: 'No event-loop samples.',
      },
      ...pools.map((pool) => ({
        id: `compare-pool-${service}-${pool}`,
        title: `Pool ${pool}: waiting (solid) and open (dashed)`,
        unit: 'connections / waiters',
        series: withData([...bothSeries(runs, 'waiting', (facts) => facts?.pools.get(pool)?.waiting, service), ...bothSeries(runs, 'open', (facts) => facts?.pools.get(pool)?.total, service, 1, 'dashed')]),
        emptyNote: `Pool ${pool} reported no figures.`,
      })),
    );
  }
  charts.push({ id: `compare-rss-${service}`, title: 'Resident memory of the process tree', unit: 'MB', series: withData(bothSeries(runs, '', (facts) => facts?.treeRss, service, 1 / MB)), emptyNote: 'No process-tree samples.' });
  return { title: `Service ${service}`, charts };
}

/** Load first, then each service either run had, probed ones first. */
export function compareSections(runs: ComparedRun[], warmupMs: number): ChartSection[] {
  const services = [...new Set(runs.flatMap(({ run }) => [...run.services.keys()]))];
  const probed = (service: string) => runs.some(({ run }) => run.services.get(service)?.probed);
  services.sort((a, b) => Number(!probed(a)) - Number(!probed(b)));
  return [loadSection(runs), ...services.map((service) => serviceSection(runs, service, warmupMs))];
}
