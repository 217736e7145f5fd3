import type { RunFacts } from '../../analyze/facts/builder.js';
import type { Finding } from '../../analyze/types.js';
import { MB } from '../../core/format.js';
import { seriesOf } from '../chart-spec.js';
import { CARD_POINTS, judgedWindow, numberAt, timedAt, type CardChart, type CardChartBuilder } from './card-chart.js';

interface Measure {
  /** The key of each listed value (evidence.values) that holds the figure. */
  valueKey: string;
  unit: string;
  /** The fitted line's scale (evidence.trend is in bytes for memory) to the values' unit. */
  trendScale: number;
  title: (finding: Finding) => string;
}

/**
 * The series a trend finding judged (evidence.values, already one point per bucket), the fitted line
 * (evidence.trend) over the window it judged, and that window.
 */
function trendCard(measure: Measure): CardChartBuilder {
  return (finding: Finding, facts: RunFacts): CardChart | undefined => {
    const { evidence } = finding;
    const values = timedAt(evidence, 'values').filter((entry) => numberAt(entry, measure.valueKey) !== undefined);
    if (values.length === 0) return undefined;
    const trend = evidence.trend as Record<string, unknown> | undefined;
    const [t0, y0, slopePerMs] = ['t0', 'y0', 'slopePerMs'].map((key) => numberAt(trend, key));
    const windowStart = numberAt(evidence, 'windowStart') ?? values[0]!.t;
    const windowEnd = numberAt(evidence, 'windowEnd') ?? values.at(-1)!.t;
    const label = typeof evidence.series === 'string' ? evidence.series : measure.title(finding);
    const fitted =
      t0 !== undefined && y0 !== undefined && slopePerMs !== undefined
        ? [seriesOf('fitted trend', [{ t: windowStart }, { t: windowEnd }], facts.startT, ({ t }) => (y0 + slopePerMs * (t - t0)) * measure.trendScale, 'dashed')]
        : [];
    return {
      title: measure.title(finding),
      unit: measure.unit,
      series: [seriesOf(label, values, facts.startT, (entry) => numberAt(entry, measure.valueKey), undefined, CARD_POINTS), ...fitted],
      window: judgedWindow(finding, facts, 'judged window'),
    };
  };
}

/** The memory a memory finding judged: post-GC heap, off-heap, native memory or RSS, as it names it. */
export const memoryTrendCard = trendCard({
  valueKey: 'mb',
  unit: 'MB',
  trendScale: 1 / MB,
  title: (finding) => `Judged: ${typeof finding.evidence.series === 'string' ? finding.evidence.series : 'memory'}${typeof finding.evidence.pid === 'number' ? `, pid ${finding.evidence.pid}` : ''}`,
});

/** The handles a handle finding judged: one type, or all together. */
export const handleTrendCard = trendCard({
  valueKey: 'count',
  unit: 'handles',
  trendScale: 1,
  title: (finding) => (typeof finding.evidence.type === 'string' && finding.evidence.type !== 'total' ? `Active ${finding.evidence.type} handles` : 'Active handles (all types)'),
});
