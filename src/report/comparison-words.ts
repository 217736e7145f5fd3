import type { TestedStatistic } from '../analyze/regression/index.js';
import { formatDuration } from '../core/duration.js';
import { figure, HOUR_MS } from '../core/format.js';

/**
 * One metric of a comparison in words, the same in summary.md and the compare report: what was
 * tested (per-bucket medians or fitted slopes) and its shift, apart from each run's whole-run figure.
 */
export interface ComparedFigures {
  unit: string;
  before: number | null;
  after: number | null;
  tested?: TestedStatistic;
  /** Throughput: requests sent per second, shown beside what was served. */
  attempted?: { before: number; after: number };
  /** Heap slope: how long each fitted line is, ms. */
  spans?: { before: number; after: number };
}

const signedFigure = (value: number) => `${value > 0 ? '+' : ''}${figure(value)}`;

export function valueWords(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return unit === 'share' ? `${(value * 100).toFixed(2)}%` : `${figure(value)} ${unit}`;
}

function changeWords(value: number, unit: string): string {
  return unit === 'share' ? `${value > 0 ? '+' : ''}${(value * 100).toFixed(2)} pts` : `${signedFigure(value)} ${unit}`;
}

/** "249 ms → 2,043 ms (median of 5 s buckets: 12 and 13)": the statistic that was tested, and of how many values. */
export function testedWords(row: ComparedFigures): string {
  const { tested } = row;
  if (!tested) return '–';
  return `${valueWords(tested.before, row.unit)} → ${valueWords(tested.after, row.unit)} (${tested.name}: ${tested.nBefore} and ${tested.nAfter})`;
}

/** "+1,796 ms (95% CI +1,738 to +1,820 ms)": the shift between the tested figures and its interval. */
export function shiftWords(row: ComparedFigures): string {
  const { tested } = row;
  if (!tested) return '–';
  const interval = `${changeWords(tested.shiftLow, row.unit)} to ${changeWords(tested.shiftHigh, row.unit)}`;
  return `${changeWords(tested.shift, row.unit)} (${Math.round(tested.confidence * 100)}% CI ${interval})`;
}

/** Each run's figure over the whole judged part; throughput with what was sent, a heap slope as the rise of its line. */
export function wholeWords(row: ComparedFigures): string {
  if (row.spans && row.unit === 'MB/h' && row.before !== null && row.after !== null) {
    const rise = (slope: number, spanMs: number) => `${signedFigure((slope * spanMs) / HOUR_MS)} MB over ${formatDuration(spanMs)}`;
    return `${rise(row.before, row.spans.before)} → ${rise(row.after, row.spans.after)}`;
  }
  const figures = `${valueWords(row.before, row.unit)} → ${valueWords(row.after, row.unit)}`;
  return row.attempted ? `${figures} served (${figure(row.attempted.before)} → ${figure(row.attempted.after)}/s sent)` : figures;
}
