import { HOUR_MS, MB } from '../../core/format.js';
import { growthAgainstLoad, type Gauge, type LoadJudgement } from '../against-load.js';
import { firstDetection, type GrowthCriteria, type GrowthTest } from '../growth.js';
import { theilSen, type Point } from '../stats/index.js';
import type { AnalysisConfig } from '../types.js';
import type { MemorySeries } from './memory-series.js';

/** The post-GC readings must cover this share of the window to confirm the floor's growth. */
const MIN_GC_COVERAGE = 0.25;

/**
 * leak: growth beyond what the load holds, past the thresholds; over-budget: slower than a leak but
 * over heapGrowthMBPerHour; with-load: growth the load's gauge explains; confounded: growth alongside
 * a load that rose through the whole window, which no data can part from a leak.
 */
export type MemoryOutcome = 'leak' | 'over-budget' | 'with-load' | 'confounded';

export interface MemoryVerdict {
  series: MemorySeries;
  judgement: LoadJudgement;
  /** The test the outcome rests on: growth beyond the load when the load explains part of it. */
  growth: GrowthTest;
  outcome: MemoryOutcome;
  /** When it would first have been seen (leak and over-budget). */
  at?: number;
}

/**
 * Whether the floor's growth survived full collections. With readings spread over the window, they
 * must rise at least half as fast. With fewer (a young heap growing fast gets few major GCs: V8 keeps
 * raising its limit), one reading a quarter or more into the window will do if the collection kept at
 * least half of the growth the floor had shown by then: garbage would have gone back to the start.
 */
function survivesCollection(readings: readonly Point[], growth: GrowthTest): boolean {
  const inWindow = readings.filter((point) => point.x >= growth.windowStart && point.x <= growth.windowEnd);
  const span = growth.windowEnd - growth.windowStart;
  const covered = inWindow.length >= 2 ? inWindow[inWindow.length - 1]!.x - inWindow[0]!.x : 0;
  if (covered >= MIN_GC_COVERAGE * span) return theilSen(inWindow).slope >= 0.5 * growth.slopePerMs;
  return inWindow.some((reading) => {
    const elapsed = reading.x - growth.windowStart;
    const grownBy = growth.slopePerMs * elapsed;
    return elapsed >= MIN_GC_COVERAGE * span && reading.y >= growth.y0 + 0.5 * grownBy;
  });
}

export const leakCriteria = (series: MemorySeries, config: AnalysisConfig): GrowthCriteria => ({
  alpha: config.alpha,
  minSlopePerMs: (config.minLeakMBPerHour * MB) / HOUR_MS,
  minRise: series.minRise,
});

/** The outcome of one judgement of a series, before any first-detection search. */
function outcomeOf(series: MemorySeries, judgement: LoadJudgement, config: AnalysisConfig): { outcome: MemoryOutcome; growth: GrowthTest } | undefined {
  const confirmed = (growth: GrowthTest) => !series.gcReadings || survivesCollection(series.gcReadings, growth);
  const budget = series.memory === 'heap' ? config.heapGrowthMBPerHour : undefined;
  const overBudget = (growth: GrowthTest) => budget !== undefined && growth.significant && growth.slopePerMs > (budget * MB) / HOUR_MS && confirmed(growth);
  const { raw, beyond } = judgement;
  if (judgement.confounded) return raw.passes && confirmed(raw) ? { outcome: 'confounded', growth: raw } : undefined;
  if (beyond.passes && confirmed(beyond)) return { outcome: 'leak', growth: beyond };
  if (overBudget(beyond)) return { outcome: 'over-budget', growth: beyond };
  if (judgement.perUnit && raw.grows && confirmed(raw)) return { outcome: 'with-load', growth: raw };
  return undefined;
}

/** A memory series judged against the load's gauge; undefined when nothing is worth saying. */
export function judgeMemory(series: MemorySeries, gauge: Gauge | undefined, config: AnalysisConfig): MemoryVerdict | undefined {
  const criteria = leakCriteria(series, config);
  // A floor (the least reading per bucket) is read against the least the load held in it.
  const held: Gauge | undefined = gauge && series.gcReadings ? { ...gauge, reduce: 'min' } : gauge;
  const judgement = growthAgainstLoad(series.points, held, criteria);
  if (!judgement) return undefined;
  const found = outcomeOf(series, judgement, config);
  if (!found) return undefined;
  const verdict: MemoryVerdict = { series, judgement, ...found };
  if (found.outcome !== 'leak' && found.outcome !== 'over-budget') return verdict;
  verdict.at = firstDetection(series.points, (prefix) => {
    const early = growthAgainstLoad(prefix, held, criteria);
    const outcome = early ? outcomeOf(series, early, config)?.outcome : undefined;
    return outcome === 'leak' || outcome === found.outcome;
  });
  return verdict;
}
