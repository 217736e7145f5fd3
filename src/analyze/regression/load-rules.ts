import { figure, percent } from '../../core/format.js';
import type { ShiftTest } from '../stats/shift.js';
import type { StreamBasis } from './basis.js';
import type { RegressionCriteria, RegressionMetric } from './check.js';
import { relative } from './effect.js';

/** One run's series of a metric: its per-bucket values and its figure over the whole judged part. */
export interface Sample {
  buckets: readonly number[];
  whole: number | null;
  /** Throughput: the requests sent per second over the same stretch, shown beside it. */
  attempted?: number;
}

/** How one load metric is judged and said: which way is worse, its minimum and large effects, its words. */
export interface LoadRule {
  metric: RegressionMetric;
  label: string;
  unit: string;
  worse: 'higher' | 'lower';
  minEffect: number;
  largeEffect: number;
  /** The metric's buckets and whole-run figure in a stream's basis. */
  sample(basis: StreamBasis): Sample;
  /** A percentile, whose large change must show in more than one bucket (spreadEnough). */
  percentile: boolean;
  /** The tested change, worse positive, from the per-bucket test of before against after. */
  effect(test: ShiftTest): number;
  /** The whole-run change, worse positive. */
  wholeEffect(before: number, after: number): number;
  /** A figure in the metric's unit. */
  words(value: number): string;
  /** The tested change as it went (not worse-positive): "+12.50%", "-3.10%", "+0.80 points". */
  changeWords(test: ShiftTest): string;
  /** The whole-run change as it went: "×43.7", "-33.2%", "+13.5 points". */
  wholeWords(before: number, after: number): string;
  /** A worse-positive effect in the metric's terms, signed as the figure moves ("-10.00%" for throughput). */
  effectWords(effect: number): string;
  /** The large effect as the rule says it ("×2", "-30%", "+5 points"). */
  largeWords: string;
}

const ms = (value: number) => `${figure(value)} ms`;
const perSecond = (value: number) => `${figure(value)}/s`;
const signed = (ratio: number) => (Number.isFinite(ratio) ? `${ratio >= 0 ? '+' : '-'}${(Math.abs(ratio) * 100).toFixed(2)}%` : ratio > 0 ? 'up from zero' : 'down to zero');
const points = (change: number) => (change === 0 ? '0 points' : `${change > 0 ? '+' : ''}${figure(change * 100)} points`);
const times = (before: number, after: number) => (before > 0 ? `×${figure(after / before)}` : after > 0 ? 'up from zero' : 'unchanged at zero');

export function loadRules(criteria: RegressionCriteria): LoadRule[] {
  return [
    {
      metric: 'latency-p99',
      label: 'p99 latency',
      unit: 'ms',
      worse: 'higher',
      minEffect: criteria.minP99Increase,
      largeEffect: criteria.largeP99Increase,
      sample: (basis) => ({ buckets: basis.buckets.latency.p99, whole: basis.figures.latency.p99 }),
      percentile: true,
      effect: (test) => relative(test.shift, test.medianBefore),
      wholeEffect: (before, after) => relative(after - before, before),
      words: ms,
      changeWords: (test) => signed(relative(test.shift, test.medianBefore)),
      wholeWords: times,
      effectWords: signed,
      largeWords: `×${figure(1 + criteria.largeP99Increase)}`,
    },
    {
      metric: 'throughput',
      label: 'throughput',
      unit: 'req/s',
      worse: 'lower',
      minEffect: criteria.minThroughputDrop,
      largeEffect: criteria.largeThroughputDrop,
      sample: (basis) => ({ buckets: basis.buckets.throughput, whole: basis.figures.throughput, attempted: basis.figures.attempted }),
      percentile: false,
      effect: (test) => -relative(test.shift, test.medianBefore),
      wholeEffect: (before, after) => -relative(after - before, before),
      words: perSecond,
      changeWords: (test) => signed(relative(test.shift, test.medianBefore)),
      wholeWords: (before, after) => signed(relative(after - before, before)),
      effectWords: (effect) => signed(-effect),
      largeWords: `-${figure(criteria.largeThroughputDrop * 100)}%`,
    },
    {
      metric: 'error-rate',
      label: 'error rate',
      unit: 'share',
      worse: 'higher',
      minEffect: criteria.minErrorRateIncrease,
      largeEffect: criteria.largeErrorRateIncrease,
      sample: (basis) => ({ buckets: basis.buckets.errorRate, whole: basis.figures.errorRate }),
      percentile: false,
      effect: (test) => test.shift,
      wholeEffect: (before, after) => after - before,
      words: percent,
      changeWords: (test) => points(test.shift),
      wholeWords: (before, after) => points(after - before),
      effectWords: points,
      largeWords: points(criteria.largeErrorRateIncrease),
    },
  ];
}
