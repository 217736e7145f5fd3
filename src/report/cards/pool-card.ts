import type { RunFacts } from '../../analyze/facts/builder.js';
import type { Finding } from '../../analyze/types.js';
import { seriesFrom } from '../chart-spec.js';
import { CARD_POINTS, judgedWindow, serviceOf, type CardChart } from './card-chart.js';

/** Callers waiting for the pool beside its open connections, and the longest stretch they waited. */
export function poolCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  const name = finding.evidence.pool;
  const pool = typeof name === 'string' ? serviceOf(finding, facts)?.pools.get(name) : undefined;
  if (!pool) return undefined;
  return {
    title: `Pool ${String(name)}: waiting and open`,
    unit: 'callers / connections',
    series: [seriesFrom('waiting', pool.waiting, facts.startT, 1, undefined, CARD_POINTS), seriesFrom('open (total)', pool.total, facts.startT, 1, undefined, CARD_POINTS)],
    window: judgedWindow(finding, facts, 'longest wait'),
  };
}
