import type { RunFacts } from '../analyze/facts/builder.js';
import type { ServiceFacts } from '../analyze/facts/service.js';
import type { Finding } from '../analyze/types.js';
import { MB } from '../core/format.js';
import { seriesFrom, seriesOf, withData, type ChartSection, type ChartSpec, type SeriesSpec } from './chart-spec.js';

/** The fitted heap line a memory-leak finding may carry, in bytes and epoch ms. */
interface Trend {
  t0: number;
  y0: number;
  slopePerMs: number;
}

function trendOf(finding: Finding): Trend | undefined {
  const trend = finding.evidence.trend as Partial<Trend> | undefined;
  if (!trend || typeof trend !== 'object') return undefined;
  const { t0, y0, slopePerMs } = trend;
  if (typeof t0 !== 'number' || typeof y0 !== 'number' || typeof slopePerMs !== 'number') return undefined;
  return { t0, y0, slopePerMs };
}

/** The leak finding's fitted line from where the fit starts to the last sample. */
function trendSeries(facts: RunFacts, service: ServiceFacts, findings: Finding[]): SeriesSpec[] {
  const trend = findings.filter((finding) => finding.kind === 'memory-leak').map(trendOf).find((found) => found !== undefined);
  const { first, last } = service.heapUsed;
  if (!trend || !first || !last) return [];
  const ends = [Math.max(trend.t0, first.t), last.t].map((t) => ({ t }));
  return [seriesOf('fitted trend', ends, facts.startT, ({ t }) => (trend.y0 + trend.slopePerMs * (t - trend.t0)) / MB, 'dashed')];
}

/** Types present at any time, the most numerous first; the rest are summed into "other". */
function handleSeries(facts: RunFacts, service: ServiceFacts): SeriesSpec[] {
  const types = [...service.handlePeaks.entries()].sort((a, b) => b[1] - a[1]).map(([type]) => type);
  const shown = types.slice(0, 6);
  const rest = types.slice(6);
  const other = (): SeriesSpec[] => {
    if (rest.length === 0) return [];
    const byT = new Map<number, number>();
    for (const type of rest) for (const entry of service.handles.get(type)?.entries() ?? []) byT.set(entry.t, (byT.get(entry.t) ?? 0) + entry.y);
    const points = [...byT].sort((a, b) => a[0] - b[0]).map(([t, y]) => ({ t, y }));
    return [seriesOf('other', points, facts.startT, (point) => point.y)];
  };
  return [
    seriesFrom('total', service.handlesTotal, facts.startT),
    ...shown.flatMap((type) => {
      const series = service.handles.get(type);
      return series ? [seriesFrom(type, series, facts.startT)] : [];
    }),
    ...other(),
  ];
}

function poolCharts(facts: RunFacts, service: ServiceFacts): ChartSpec[] {
  return [...service.pools].map(([pool, series]) => ({
    id: `pool-${service.name}-${pool}`,
    title: `Pool ${pool}`,
    unit: 'connections / waiters',
    series: withData([seriesFrom('total', series.total, facts.startT), seriesFrom('idle', series.idle, facts.startT), seriesFrom('waiting', series.waiting, facts.startT)]),
    emptyNote: `Pool ${pool} reported no figures.`,
  }));
}

function rssChart(facts: RunFacts, service: ServiceFacts): ChartSpec {
  return {
    id: `rss-${service.name}`,
    title: 'Resident memory (RSS)',
    unit: 'MB',
    series: withData([
      seriesFrom('process', service.rss, facts.startT, 1 / MB),
      seriesFrom('process tree', service.treeRss, facts.startT, 1 / MB),
      seriesFrom('container (engine)', service.containerMemory, facts.startT, 1 / MB),
    ]),
    emptyNote: 'No memory samples.',
  };
}

function nodeCharts(facts: RunFacts, service: ServiceFacts, findings: Finding[]): ChartSpec[] {
  const { startT } = facts;
  const id = (name: string) => `${name}-${service.name}`;
  return [
    {
      id: id('heap'),
      title: 'Heap',
      unit: 'MB',
      series: withData([seriesFrom('heapUsed', service.heapUsed, startT, 1 / MB), seriesFrom('heap after major GC', service.postGc, startT, 1 / MB, 'points'), ...trendSeries(facts, service, findings)]),
      emptyNote: 'No heap samples.',
    },
    rssChart(facts, service),
    {
      id: id('event-loop-delay'),
      title: 'Event-loop delay',
      unit: 'ms',
      series: withData([seriesFrom('p50', service.loopP50, startT), seriesFrom('p99', service.loopP99, startT), seriesFrom('max', service.loopMax, startT)]),
      emptyNote: 'No event-loop samples.',
    },
    {
      id: id('event-loop-utilization'),
      title: 'Event-loop utilisation',
      unit: '% busy',
      series: withData([seriesFrom('utilisation', service.utilization, startT, 100)]),
      emptyNote: 'No event-loop samples.',
    },
    { id: id('handles'), title: 'Active handles and requests', unit: 'count', series: withData(handleSeries(facts, service)), emptyNote: 'No handle samples.' },
    ...poolCharts(facts, service),
  ];
}

function processCharts(facts: RunFacts, service: ServiceFacts): ChartSpec[] {
  const charts: ChartSpec[] = [
    {
      id: `cpu-${service.name}`,
      title: 'CPU',
      unit: '% of one core',
      series: withData([
        seriesFrom('process tree', service.treeCpu, facts.startT),
        seriesFrom('node process', service.cpuPercent, facts.startT),
        seriesFrom('container (engine)', service.containerCpu, facts.startT),
      ]),
      emptyNote: 'No CPU samples.',
    },
  ];
  if (service.treeRss.samples > 0) {
    charts.push({ id: `children-${service.name}`, title: 'Child processes', unit: 'processes', series: withData([seriesFrom('children', service.children, facts.startT)]), emptyNote: 'No process-tree samples.' });
  }
  return charts;
}

/** One section per service: in-process charts when it ran with the probe, OS charts whenever it was sampled. */
export function serviceSection(facts: RunFacts, service: ServiceFacts, findings: Finding[]): ChartSection {
  const probedCount = [...facts.services.values()].filter((entry) => entry.probed).length;
  const own = findings.filter((finding) => finding.service === service.name || (finding.service === undefined && probedCount === 1 && service.probed));
  const title = `Service ${service.name}`;
  if (!service.probed) {
    return {
      title,
      note: 'No in-process samples (not a Node service, or the probe was off): heap, event-loop, handle and pool charts are left out.',
      charts: [rssChart(facts, service), ...processCharts(facts, service)],
    };
  }
  return { title, charts: [...nodeCharts(facts, service, own), ...processCharts(facts, service)] };
}
