import type { Series } from '../analyze/facts/series.js';
import { downsample, type Point } from './downsample.js';

export interface SeriesSpec {
  label: string;
  points: Point[];
  /** dashed: a fitted or derived line; points: sparse measurements drawn as markers. */
  style?: 'line' | 'dashed' | 'points';
  /** A fixed colour (the before/after report keeps each run's colour on every chart); else the palette's next. */
  color?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** The y axis title, with its unit. */
  unit: string;
  series: SeriesSpec[];
  /** Said in one line instead of drawing the chart when no series has a point. */
  emptyNote: string;
}

export interface ChartSection {
  title: string;
  /** Said once for the section, e.g. why it has fewer charts than others. */
  note?: string;
  charts: ChartSpec[];
}

export function hasData(chart: ChartSpec): boolean {
  return chart.series.some((series) => series.points.length > 0);
}

/** Four significant digits: charts need no more, and it keeps an 8-hour report small. */
function round(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(4));
}

/** Turns timed records into chart points: x in seconds since the run started, y as picked; records without a value are skipped. */
export function seriesOf<T extends { t: number }>(
  label: string,
  records: readonly T[],
  startT: number,
  pick: (record: T, index: number) => number | undefined,
  style?: SeriesSpec['style'],
): SeriesSpec {
  const points: Point[] = [];
  records.forEach((record, index) => {
    const y = pick(record, index);
    if (y !== undefined && Number.isFinite(y)) points.push([Math.round((record.t - startT) / 100) / 10, round(y)]);
  });
  return { label, points: downsample(points), ...(style ? { style } : {}) };
}

/** Drops series that have no point, so a legend never lists a line that is not there. */
export function withData(series: SeriesSpec[]): SeriesSpec[] {
  return series.filter((entry) => entry.points.length > 0);
}

/**
 * A sampled figure as chart points: each point of the series (one sample, or after a long run's
 * compaction the lowest and the highest of the samples it holds), scaled, on the run's time axis.
 */
export function seriesFrom(label: string, series: Series, startT: number, scale = 1, style?: SeriesSpec['style']): SeriesSpec {
  const points: Point[] = [];
  const x = (t: number) => Math.round((t - startT) / 100) / 10;
  for (const entry of series.entries()) {
    if (entry.n === 1) points.push([x(entry.t), round(entry.y * scale)]);
    else points.push([x(entry.t), round(entry.min * scale)], [x(entry.t), round(entry.max * scale)]);
  }
  return { label, points: downsample(points), ...(style ? { style } : {}) };
}
