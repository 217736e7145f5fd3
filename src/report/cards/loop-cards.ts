import type { RunFacts } from '../../analyze/facts/builder.js';
import type { Finding } from '../../analyze/types.js';
import { seriesFrom, seriesOf } from '../chart-spec.js';
import { CARD_POINTS, limitLine, numberAt, serviceOf, timedAt, type CardChart } from './card-chart.js';

/** The service's event-loop delay (max per sample), the stalls the finding lists as markers, and the line they crossed. */
function loopCard(finding: Finding, facts: RunFacts, stallsLabel: string, limit: { label: string; ms: number | undefined }): CardChart | undefined {
  const service = serviceOf(finding, facts);
  if (!service) return undefined;
  const stalls = timedAt(finding.evidence, 'intervals');
  return {
    title: 'Event-loop delay (max per sample)',
    unit: 'ms',
    series: [
      seriesFrom('loop delay max', service.loopMax, facts.startT, 1, undefined, CARD_POINTS),
      seriesOf(stallsLabel, stalls, facts.startT, (stall) => numberAt(stall, 'maxMs'), 'points', CARD_POINTS),
      ...(limit.ms !== undefined ? [limitLine(limit.label, limit.ms, facts)] : []),
    ],
  };
}

export function blockedLoopCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  return loopCard(finding, facts, 'stalls (blocked)', { label: 'threshold (max)', ms: numberAt(finding.evidence, 'maxThresholdMs') });
}

/** GC stalls against the gcPause budget when one is set, else the threshold that made them stalls. */
export function gcPauseCard(finding: Finding, facts: RunFacts): CardChart | undefined {
  const budget = numberAt(finding.evidence, 'budgetMs');
  return loopCard(finding, facts, 'stalls (GC)', budget !== undefined ? { label: 'budget', ms: budget } : { label: 'threshold (max)', ms: facts.config.eventLoopMaxMs });
}
