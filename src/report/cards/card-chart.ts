import type { RunFacts } from '../../analyze/facts/builder.js';
import type { ServiceFacts } from '../../analyze/facts/service.js';
import type { Finding } from '../../analyze/types.js';
import { chartSeconds, type ChartSpec, type SeriesSpec } from '../chart-spec.js';
import type { Point } from '../downsample.js';

/**
 * Points per line of a finding's small chart: a card is a few hundred pixels wide, so more would not
 * show, and an 8- or 72-hour report with many findings stays small.
 */
export const CARD_POINTS = 300;

/** Budgets and thresholds are drawn in one colour on every card, apart from the measured lines. */
const LIMIT_COLOR = '#475569';

/** A finding's evidence as a small chart: its series, and optionally a fitted line, a budget and the window judged. */
export type CardChart = Pick<ChartSpec, 'title' | 'unit' | 'series' | 'unitRight' | 'window' | 'range'>;

/** Draws one kind of finding; undefined when its evidence or the run's records hold nothing to draw. */
export type CardChartBuilder = (finding: Finding, facts: RunFacts) => CardChart | undefined;

/** A finite number the evidence holds at `key`, else undefined (evidence of older runs may lack it). */
export function numberAt(record: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = record?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Timed entries the evidence lists at `key` (values, intervals, breaches), those with a numeric `t`. */
export function timedAt(evidence: Record<string, unknown>, key: string): ({ t: number } & Record<string, unknown>)[] {
  const list = evidence[key];
  if (!Array.isArray(list)) return [];
  return list.filter((entry): entry is { t: number } & Record<string, unknown> => typeof entry === 'object' && entry !== null && typeof (entry as { t?: unknown }).t === 'number');
}

/** The window a finding judged (evidence windowStart and windowEnd), as the chart marks it. */
export function judgedWindow(finding: Finding, facts: RunFacts, label: string): CardChart['window'] {
  const start = numberAt(finding.evidence, 'windowStart');
  const end = numberAt(finding.evidence, 'windowEnd');
  return start !== undefined && end !== undefined ? { start: chartSeconds(start, facts.startT), end: chartSeconds(end, facts.startT), label } : undefined;
}

/** A budget or threshold: a flat dashed line across the stretch shown (the whole run when no range). */
export function limitLine(label: string, y: number, facts: RunFacts, range?: CardChart['range']): SeriesSpec {
  const [from, to] = range ?? [0, chartSeconds(facts.endT, facts.startT)];
  const points: Point[] = [
    [from, y],
    [to, y],
  ];
  return { label, points, style: 'dashed', color: LIMIT_COLOR };
}

/** The service a finding names, when the run has its facts. */
export function serviceOf(finding: Finding, facts: RunFacts): ServiceFacts | undefined {
  return finding.service === undefined ? undefined : facts.services.get(finding.service);
}
