import type { FindingKind } from '../types.js';

export { formatValue as formatBudgetValue } from '../../core/format.js';

/**
 * One budget judged on one subject: what was measured against what was allowed. Every budget that
 * applies gets a check, broken or not, so a CI report lists what held as well as what broke.
 */
export interface BudgetCheck {
  /** The budget's key as written in the scenario: p99, errorRate, minThroughput, poolWaiting, heapGrowthMBPerHour... */
  budget: string;
  /** What was judged: "all streams", "stream http", "service api", "pool pg of api", "fault kill-1". */
  scope: string;
  /** The endpoint judged, for an endpoint's budget (its scope is "endpoint <name>"). */
  endpoint?: string;
  /** "whole run" or the phases judged. */
  window: string;
  limit: number;
  unit: string;
  /** null when there was nothing to measure (no request, no sample). */
  measured: number | null;
  passed: boolean;
  /** The finding kind that reports a breach of this budget. */
  kind: FindingKind;
  /** How the figure was measured, in a few words. */
  method: string;
  /** What the live judge weighs before it trusts a figure: requests sent, requests the figure is over, time seen. */
  sent?: number;
  requests?: number;
  spanMs?: number;
}
