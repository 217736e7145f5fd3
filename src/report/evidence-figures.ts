import { figure, formatMs, formatNumber, MB, megabytes, megabytesPerHour, percent, pFigure, sinceStart } from '../core/format.js';

/** Keys that name a size in bytes (heapUsed, rssBytes; not heapGrowthMBPerHour or heapRatio). */
export const isBytesKey = (key: string) => /bytes|heap|rss/i.test(key) && !/per|rate|ratio|percent|count|mb|kb|gb/i.test(key);

/** Epoch milliseconds of this era (2001-2286): shown as time since the run started. */
export const looksLikeEpochMs = (value: number) => value > 1e12 && value < 1e13;

/**
 * How a figure of the evidence reads, by the name the detectors give it (units are in the names:
 * slopeMBPerHour, worstStallMs, pausedShare), first match wins. A name no rule knows is a plain number.
 */
const RULES: [test: (key: string) => boolean, format: (value: number) => string][] = [
  [(key) => /pid/i.test(key), String],
  [(key) => key === 'p' || key === 'alpha' || /[a-z]P$/.test(key), pFigure],
  [(key) => key.endsWith('MBPerHour'), megabytesPerHour],
  [(key) => key.endsWith('MB'), (value) => megabytes(value * MB)],
  [(key) => key.endsWith('KB'), (value) => `${figure(value)} KB`],
  [isBytesKey, megabytes],
  [(key) => key.endsWith('Ms'), formatMs],
  [(key) => /Share$|^(rate|errorRate|budget|confidence)$/.test(key), percent],
  [(key) => /^hours|Hours$/.test(key), (value) => `${figure(value)} h`],
  [(key) => /^perHour|PerHour$/.test(key), (value) => `${figure(value)}/h`],
  [(key) => key.endsWith('PerMinute'), (value) => `${figure(value)}/min`],
  [(key) => /PerSecond$|^throughput$/.test(key), (value) => `${figure(value)}/s`],
];

/** One figure of a finding's evidence as a person reads it: "+1:02:05", "< 1e-6", "12.5 MB", "205 MB/h", "430 ms". */
export function evidenceFigure(key: string, value: number, startT: number): string {
  if (looksLikeEpochMs(value)) return sinceStart(value, startT);
  const rule = RULES.find(([test]) => test(key));
  return rule ? rule[1](value) : formatNumber(value);
}

function readable(key: string, value: unknown, startT: number): string {
  if (typeof value === 'number') return evidenceFigure(key, value, startT);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length <= 8 && value.every((item) => typeof item !== 'object' || item === null)) return value.map((item) => readable(key, item, startT)).join(', ');
    return `${formatNumber(value.length)} listed (in the raw evidence)`;
  }
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** Every evidence figure but the summary (and the leaking types, shown apart); one level of nesting is flattened (window.start), named by its own key. */
export function evidenceEntries(evidence: Record<string, unknown>): { name: string; key: string; value: unknown }[] {
  return Object.entries(evidence).flatMap(([key, value]) => {
    if (key === 'summary' || key === 'leakingTypes') return [];
    if (value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).map(([inner, innerValue]) => ({ name: `${key}.${inner}`, key: inner, value: innerValue }));
    return [{ name: key, key, value }];
  });
}

/** The evidence's figures as a person reads them. */
export function evidenceFigures(evidence: Record<string, unknown>, startT: number): [name: string, text: string][] {
  return evidenceEntries(evidence).map(({ name, key, value }) => [name, readable(key, value, startT)]);
}
