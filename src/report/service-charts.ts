import type { Finding, RunData } from '../analyze/types.js';
import type { NodeProbeSample, OsProbeSample } from '../store/records.js';
import { MB, seriesOf, withData, type ChartSection, type ChartSpec, type SeriesSpec } from './chart-spec.js';

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
function trendSeries(run: RunData, samples: NodeProbeSample[], findings: Finding[]): SeriesSpec[] {
  const trend = findings.filter((finding) => finding.kind === 'memory-leak').map(trendOf).find((found) => found !== undefined);
  const first = samples[0];
  const last = samples.at(-1);
  if (!trend || !first || !last) return [];
  const ends = [Math.max(trend.t0, first.t), last.t].map((t) => ({ t }));
  return [seriesOf('fitted trend', ends, run.startT, ({ t }) => (trend.y0 + trend.slopePerMs * (t - trend.t0)) / MB, 'dashed')];
}

/** Types present at any time, the most numerous first; the rest are summed into "other". */
function handleSeries(run: RunData, samples: NodeProbeSample[]): SeriesSpec[] {
  const peak = new Map<string, number>();
  for (const sample of samples) for (const [type, count] of Object.entries(sample.handles)) peak.set(type, Math.max(peak.get(type) ?? 0, count));
  const types = [...peak.entries()].sort((a, b) => b[1] - a[1]).map(([type]) => type);
  const shown = types.slice(0, 6);
  const rest = types.slice(6);
  const total = (sample: NodeProbeSample) => Object.values(sample.handles).reduce((sum, count) => sum + count, 0);
  return [
    seriesOf('total', samples, run.startT, total),
    ...shown.map((type) => seriesOf(type, samples, run.startT, (sample) => sample.handles[type] ?? 0)),
    ...(rest.length > 0 ? [seriesOf('other', samples, run.startT, (sample) => rest.reduce((sum, type) => sum + (sample.handles[type] ?? 0), 0))] : []),
  ];
}

function poolCharts(run: RunData, service: string, samples: NodeProbeSample[]): ChartSpec[] {
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.pools ?? {})))];
  return names.map((pool) => ({
    id: `pool-${service}-${pool}`,
    title: `Pool ${pool}`,
    unit: 'connections / waiters',
    series: withData(
      (['total', 'idle', 'waiting'] as const).map((field) => seriesOf(field, samples, run.startT, (sample) => sample.pools?.[pool]?.[field])),
    ),
    emptyNote: `Pool ${pool} reported no figures.`,
  }));
}

/** CPU of one core in percent, from the probe's CPU time over the time since the previous sample. */
function nodeCpuPercent(samples: NodeProbeSample[], intervalMs: number) {
  return (sample: NodeProbeSample, index: number) => {
    const elapsed = index > 0 ? sample.t - samples[index - 1]!.t : intervalMs;
    return elapsed > 0 ? ((sample.cpu.user + sample.cpu.system) / elapsed) * 100 : undefined;
  };
}

function nodeCharts(run: RunData, service: string, node: NodeProbeSample[], os: OsProbeSample[], findings: Finding[]): ChartSpec[] {
  const { startT } = run;
  const id = (name: string) => `${name}-${service}`;
  return [
    {
      id: id('heap'),
      title: 'Heap',
      unit: 'MB',
      series: withData([
        seriesOf('heapUsed', node, startT, (sample) => sample.memory.heapUsed / MB),
        seriesOf('heap after major GC', node, startT, (sample) => (sample.postGcHeap === undefined ? undefined : sample.postGcHeap / MB), 'points'),
        ...trendSeries(run, node, findings),
      ]),
      emptyNote: 'No heap samples.',
    },
    rssChart(run, service, node, os),
    {
      id: id('event-loop-delay'),
      title: 'Event-loop delay',
      unit: 'ms',
      series: withData((['p50', 'p99', 'max'] as const).map((field) => seriesOf(field, node, startT, (sample) => sample.eventLoop[field]))),
      emptyNote: 'No event-loop samples.',
    },
    {
      id: id('event-loop-utilization'),
      title: 'Event-loop utilisation',
      unit: '% busy',
      series: withData([seriesOf('utilisation', node, startT, (sample) => sample.eventLoop.utilization * 100)]),
      emptyNote: 'No event-loop samples.',
    },
    {
      id: id('handles'),
      title: 'Active handles and requests',
      unit: 'count',
      series: withData(handleSeries(run, node)),
      emptyNote: 'No handle samples.',
    },
    ...poolCharts(run, service, node),
  ];
}

function rssChart(run: RunData, service: string, node: NodeProbeSample[], os: OsProbeSample[]): ChartSpec {
  return {
    id: `rss-${service}`,
    title: 'Resident memory (RSS)',
    unit: 'MB',
    series: withData([
      seriesOf('process', node, run.startT, (sample) => sample.memory.rss / MB),
      seriesOf('process tree', os, run.startT, (sample) => sample.rss / MB),
      seriesOf('container (engine)', run.containers?.get(service) ?? [], run.startT, (sample) => sample.memory / MB),
    ]),
    emptyNote: 'No memory samples.',
  };
}

function processCharts(run: RunData, service: string, node: NodeProbeSample[], os: OsProbeSample[]): ChartSpec[] {
  const charts: ChartSpec[] = [
    {
      id: `cpu-${service}`,
      title: 'CPU',
      unit: '% of one core',
      series: withData([
        seriesOf('process tree', os, run.startT, (sample) => sample.cpuPercent),
        seriesOf('node process', node, run.startT, nodeCpuPercent(node, run.meta.sampleIntervalMs)),
        seriesOf('container (engine)', run.containers?.get(service) ?? [], run.startT, (sample) => sample.cpuPercent),
      ]),
      emptyNote: 'No CPU samples.',
    },
  ];
  if (os.length > 0) {
    charts.push({
      id: `children-${service}`,
      title: 'Child processes',
      unit: 'processes',
      series: withData([seriesOf('children', os, run.startT, (sample) => sample.children)]),
      emptyNote: 'No process-tree samples.',
    });
  }
  return charts;
}

/** One section per service: in-process charts when it ran with the probe, OS charts whenever it was sampled. */
export function serviceSection(run: RunData, service: string, findings: Finding[]): ChartSection {
  const node = run.node.get(service) ?? [];
  const os = run.os.get(service) ?? [];
  const own = findings.filter((finding) => finding.service === service || (finding.service === undefined && run.node.size === 1 && node.length > 0));
  const title = `Service ${service}`;
  if (node.length === 0) {
    return {
      title,
      note: 'No in-process samples (not a Node service, or the probe was off): heap, event-loop, handle and pool charts are left out.',
      charts: [rssChart(run, service, node, os), ...processCharts(run, service, node, os)],
    };
  }
  return { title, charts: [...nodeCharts(run, service, node, os, own), ...processCharts(run, service, node, os)] };
}
