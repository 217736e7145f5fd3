import type { RunFacts } from '../../analyze/facts/builder.js';
import type { Finding } from '../../analyze/types.js';
import { withData } from '../chart-spec.js';
import type { CardChart, CardChartBuilder } from './card-chart.js';
import { faultImpactCard, recoveryCard } from './fault-cards.js';
import { errorRateCard, latencyCard } from './load-cards.js';
import { blockedLoopCard, gcPauseCard } from './loop-cards.js';
import { poolCard } from './pool-card.js';
import { handleTrendCard, memoryTrendCard } from './trend-cards.js';

export { CARD_POINTS, type CardChart, type CardChartBuilder } from './card-chart.js';

/** The chart of each kind of finding, by kind. Adding one is a builder and one line here; a kind without one gets no chart. */
const cardCharts = new Map<string, CardChartBuilder>([
  ['memory-leak', memoryTrendCard],
  ['memory-with-load', memoryTrendCard],
  ['handle-leak', handleTrendCard],
  ['event-loop-blocked', blockedLoopCard],
  ['gc-pause', gcPauseCard],
  ['pool-exhaustion', poolCard],
  ['error-rate', errorRateCard],
  ['latency-budget', latencyCard],
  ['fault-impact', faultImpactCard],
  ['slow-recovery', recoveryCard],
  ['recovery', recoveryCard],
]);

/** The chart of a finding's evidence, if its kind has one and there is something to draw. */
export function cardChart(finding: Finding, facts: RunFacts): CardChart | undefined {
  const chart = cardCharts.get(finding.kind)?.(finding, facts);
  if (!chart) return undefined;
  const series = withData(chart.series);
  // Only a fitted line or a budget, with no measurement under it, is not evidence.
  return series.some((line) => line.style !== 'dashed') ? { ...chart, series } : undefined;
}
