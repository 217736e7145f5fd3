import { formatDuration } from '../core/duration.js';

/** Figures as they read in a finding's summary sentence; evidence keeps the raw numbers. */

export const MB = 1024 * 1024;
export const HOUR_MS = 3_600_000;

export function figure(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function megabytes(bytes: number): string {
  return `${figure(bytes / MB)} MB`;
}

/** "+1m05s": time since the run started. */
export function offset(t: number, startT: number): string {
  return t < startT ? `-${formatDuration(startT - t)}` : `+${formatDuration(t - startT)}`;
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.001 ? 3 : 2)}%`;
}

/** p-values span many orders of magnitude: "p = 0.003", "p < 1e-6". */
export function pValue(p: number): string {
  if (p < 1e-6) return 'p < 1e-6';
  return p < 0.001 ? `p = ${p.toExponential(1)}` : `p = ${p.toFixed(3)}`;
}

export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** "1 interval of 40 was", "3 intervals of 40 were". */
export function countOf(count: number, noun: string, total: number): string {
  return `${plural(count, noun)} of ${total.toLocaleString('en-US')} ${count === 1 ? 'was' : 'were'}`;
}

/** Rounds for evidence: enough digits to check by hand, not floating-point noise. */
export function round(value: number, digits = 3): number {
  return Number(value.toPrecision(Math.max(digits, Math.ceil(Math.log10(Math.abs(value) + 1)))));
}
