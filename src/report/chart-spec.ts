import type { Series } from '../analyze/facts/series.js';
import { downsample, MAX_CHART_POINTS, type Point } from './downsample.js';

export interface SeriesSpec {
  label: string;
  points: Point[];
  /** dashed: a fitted or derived line; points: sparse measurements drawn as markers. */
  style?: 'line' | 'dashed' | 'points';
  /** A fixed colour (the before/after report keeps each run's colour on every chart); else the palette's next. */
  color?: string;
  /** Drawn against the chart's second (right-hand) axis, `ChartSpec.unitRight`. */
  axis?: 'right';
}

export interface ChartSpec {
  id: string;
  title: string;
  /** The y axis title, with its unit. */
  unit: string;
  series: SeriesSpec[];
  /** Said in one line instead of drawing the chart when no series has a point. */
  emptyNote: string;
  /** The unit of a second axis on the right, for series drawn against it. */
  unitRight?: string;
  /** A stretch marked on the chart (a finding's judged window), seconds since the run started. */
  window?: { start: number; end: number; label: string };
  /** The stretch of the run shown, seconds since it started; the whole run when absent. */
  range?: [start: number, end: number];
}

export interface ChartSection {
  title: string;
  /** Said once for the section, e.g. why it has fewer charts than others. */
  note?: string;
  charts: ChartSpec[];
}

const drawn = (series: SeriesSpec) => series.points.some((point) => point[1] !== null);

export function hasData(chart: ChartSpec): boolean {
  return chart.series.some(drawn);
}

/** Four significant digits: charts need no more, and it keeps an 8-hour report small. */
function round(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(4));
}

/** Epoch ms as the charts' x: seconds since the run started, to the tenth. */
export const chartSeconds = (t: number, startT: number): number => Math.round((t - startT) / 100) / 10;

/**
 * Turns timed records into chart points: x in seconds since the run started, y as picked; records
 * without a value are skipped, and a null is a gap (nothing to draw there, e.g. no request completed).
 */
export function seriesOf<T extends { t: number }>(
  label: string,
  records: readonly T[],
  startT: number,
  pick: (record: T, index: number) => number | null | undefined,
  style?: SeriesSpec['style'],
  maxPoints = MAX_CHART_POINTS,
): SeriesSpec {
  const points: Point[] = [];
  records.forEach((record, index) => {
    const y = pick(record, index);
    const x = chartSeconds(record.t, startT);
    if (y === null) points.push([x, null]);
    else if (y !== undefined && Number.isFinite(y)) points.push([x, round(y)]);
  });
  return { label, points: downsample(points, maxPoints), ...(style ? { style } : {}) };
}

/** Drops series that have no point, so a legend never lists a line that is not there. */
export function withData(series: SeriesSpec[]): SeriesSpec[] {
  return series.filter(drawn);
}

/**
 * A sampled figure as chart points: each point of the series (one sample, or after a long run's
 * compaction the lowest and the highest of the samples it holds), scaled, on the run's time axis.
 */
export function seriesFrom(label: string, series: Series, startT: number, scale = 1, style?: SeriesSpec['style'], maxPoints = MAX_CHART_POINTS): SeriesSpec {
  const points: Point[] = [];
  const x = (t: number) => chartSeconds(t, startT);
  for (const entry of series.entries()) {
    if (entry.n === 1) points.push([x(entry.t), round(entry.y * scale)]);
    else points.push([x(entry.t), round(entry.min * scale)], [x(entry.t), round(entry.max * scale)]);
  }
  return { label, points: downsample(points, maxPoints), ...(style ? { style } : {}) };
}
