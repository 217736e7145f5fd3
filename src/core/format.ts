import { formatDuration } from './duration.js';

/**
 * Figures for humans, in one place: findings' sentences, the report's tables, the gate's files and
 * the progress line all say a number the same way. Evidence and summary.json keep the raw numbers.
 */

/** toLocaleString builds a formatter per call: a long run's tables format thousands of figures, so they are kept. */
const FORMATTERS = new Map<number, Intl.NumberFormat>();
function grouped(value: number, maximumFractionDigits = 0): string {
  let formatter = FORMATTERS.get(maximumFractionDigits);
  if (!formatter) FORMATTERS.set(maximumFractionDigits, (formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits })));
  return formatter.format(value);
}

export const MB = 1024 * 1024;
export const GB = 1024 * MB;
export const HOUR_MS = 3_600_000;

/** A figure in a sentence: 0 decimals from 100, 1 from 10, else 2. */
export function figure(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return grouped(value, digits);
}

/** "12.5 MB"; whole gigabytes as "2 GB". */
export function megabytes(bytes: number): string {
  return bytes >= GB && bytes % GB === 0 ? `${bytes / GB} GB` : `${figure(bytes / MB)} MB`;
}

/** "+1:02:05": time since the run started as a clock, hours counted on (a 72-hour run ends at "+72:00:00"). */
export function sinceStart(t: number, startT: number): string {
  const totalSeconds = Math.round(Math.abs(t - startT) / 1000);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  return `${t < startT ? '-' : '+'}${Math.floor(totalSeconds / 3600)}:${String(minutes).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
}

/** "+1m05s": time since the run started. */
export function offset(t: number, startT: number): string {
  return t < startT ? `-${formatDuration(startT - t)}` : `+${formatDuration(t - startT)}`;
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio !== 0 && ratio < 0.001 ? 3 : 2)}%`;
}

/** "12.5 s", "1,200 s": a length of time in a sentence, to the tenth of a second. */
export function seconds(ms: number): string {
  return `${grouped(ms / 1000, 1)} s`;
}

/** "2.0 s": always one decimal, for a command's status line where the figure is read as a clock. */
export function clockSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A p-value in a table column: four decimals, or "3.2e-5" below 1e-4. */
export function pCell(p: number | undefined): string {
  if (p === undefined) return '–';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** p-values span many orders of magnitude: "p = 0.003", "p < 1e-6". */
export function pValue(p: number): string {
  if (p < 1e-6) return 'p < 1e-6';
  return p < 0.001 ? `p = ${p.toExponential(1)}` : `p = ${p.toFixed(3)}`;
}

/** A p-value as a figure of its own: "< 1e-6" below that, else two significant digits ("0.0031"). */
export function pFigure(p: number): string {
  return p < 1e-6 ? '< 1e-6' : String(Number(p.toPrecision(2)));
}

/** "205 MB/h": a growth rate in megabytes per hour. */
export function megabytesPerHour(value: number): string {
  return `${figure(value)} MB/h`;
}

export function plural(count: number, noun: string): string {
  return `${grouped(count, 3)} ${noun}${count === 1 ? '' : 's'}`;
}

/** "1 interval of 40 was", "3 intervals of 40 were". */
export function countOf(count: number, noun: string, total: number): string {
  return `${plural(count, noun)} of ${grouped(total, 3)} ${count === 1 ? 'was' : 'were'}`;
}

/** Rounds for evidence: enough digits to check by hand, not floating-point noise. */
export function round(value: number, digits = 3): number {
  return Number(value.toPrecision(Math.max(digits, Math.ceil(Math.log10(Math.abs(value) + 1)))));
}

/** A table cell: '–' for no figure; integers whole, others to a few decimals. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return grouped(value);
  const magnitude = Math.abs(value);
  return grouped(value, magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : digits);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${bytes < 0 ? '-' : ''}${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 10_000) return formatDuration(value);
  return `${formatNumber(value)} ms`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  return percent(ratio);
}

export function formatTimestamp(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A budget's figure in its unit ("250 ms", "1.00%", "42.0 req/s"); '–' for none. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === 'share') return `${(value * 100).toFixed(value < 0.001 ? 3 : 2)}%`;
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${rounded} ${unit}`;
}

/** "12.3MB" for the one-line progress display. */
export function compactMegabytes(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / MB).toFixed(1)}MB`;
}
