import { compareSlopes, MIN_SHIFT_SAMPLES, shiftTest, type SlopeComparison, type ShiftTest } from '../stats/shift.js';
import { figure, HOUR_MS, MB, percent, pValue, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import { describeWindow } from '../facts/spans.js';
import { defaultRegressionCriteria } from '../defaults.js';
import type { Finding } from '../types.js';
import { comparisonBucketMs, judgedSpan, regressionBasis, type HeapBasis, type JudgedPart, type RegressionBasis } from './basis.js';

/**
 * What counts as a regression of a run against its baseline. A change must be both significant
 * (p < alpha, one-sided in the worse direction) and at least the minimum effect: with long runs a
 * 2 % shift is significant but not worth failing a pull request over.
 */
export { defaultRegressionCriteria } from '../defaults.js';

export interface RegressionCriteria extends JudgedPart {
  alpha: number;
  /** Least rise of p99 latency, relative to the baseline (0.1 is +10 %). */
  minP99Increase: number;
  /** Least fall of throughput, relative to the baseline (0.1 is -10 %). */
  minThroughputDrop: number;
  /** Least rise of the error rate, absolute (0.005 is half a percentage point). */
  minErrorRateIncrease: number;
  /** Least rise of the post-GC heap slope, MB/h. */
  minHeapSlopeIncreaseMBPerHour: number;
}


export type RegressionMetric = 'latency-p99' | 'throughput' | 'error-rate' | 'heap-slope';

/** One metric of one stream or service, compared; `finding` is set when it regressed. */
export interface RegressionCheck {
  metric: RegressionMetric;
  /** The stream or service compared. */
  subject: string;
  label: string;
  unit: string;
  before: number | null;
  after: number | null;
  /** Relative change (p99, throughput) or absolute change in the unit (error rate, heap slope), worse positive. */
  effect?: number;
  minEffect: number;
  /** One-sided p-value in the worse direction. */
  p?: number;
  test?: ShiftTest | SlopeComparison;
  regressed: boolean;
  /** Why the metric could not be tested. */
  untested?: string;
  finding?: Finding;
}

const CONFIDENCE = 0.95;

/** Finite numbers rounded for evidence; an infinite change (from a zero baseline) stays as it is. */
const evidenceNumber = (value: number) => (Number.isFinite(value) ? round(value) : value);
const relative = (shift: number, base: number) => (base !== 0 ? shift / Math.abs(base) : shift === 0 ? 0 : Math.sign(shift) * Infinity);
const signed = (ratio: number) => (Number.isFinite(ratio) ? `${ratio >= 0 ? '+' : ''}${percent(ratio)}` : ratio > 0 ? 'up from zero' : 'down to zero');

interface ShiftRule {
  metric: RegressionMetric;
  label: string;
  unit: string;
  worse: 'higher' | 'lower';
  minEffect: number;
  /** The change that is compared with minEffect, worse positive. */
  effect(test: ShiftTest, before: number, after: number): number;
  words(value: number): string;
  effectWords(effect: number): string;
}

interface Sample {
  buckets: number[];
  whole: number | null;
}

function shiftCheck(rule: ShiftRule, subject: string, before: Sample, after: Sample, criteria: RegressionCriteria, bucketMs: number, at: number): RegressionCheck {
  const base = { metric: rule.metric, subject, label: `${rule.label} of ${subject}`, unit: rule.unit, before: before.whole, after: after.whole, minEffect: rule.minEffect };
  const test = shiftTest(before.buckets, after.buckets, CONFIDENCE);
  if (!test || before.whole === null || after.whole === null) {
    return {
      ...base,
      regressed: false,
      untested: `too few ${figure(bucketMs / 1000)} s buckets with data (baseline ${before.buckets.length}, this run ${after.buckets.length}; at least ${MIN_SHIFT_SAMPLES} each)`,
    };
  }
  const p = rule.worse === 'higher' ? test.pHigher : test.pLower;
  const effect = rule.effect(test, before.whole, after.whole);
  const regressed = p < criteria.alpha && effect >= rule.minEffect;
  const check: RegressionCheck = { ...base, effect: evidenceNumber(effect), p, test, regressed };
  if (!regressed) return check;
  const summary =
    `Per-${figure(bucketMs / 1000)} s ${rule.label} of ${subject} moved from a median of ${rule.words(test.medianBefore)} (baseline, ${test.nBefore} buckets) ` +
    `to ${rule.words(test.medianAfter)} (this run, ${test.nAfter} buckets): Hodges-Lehmann shift ${rule.words(test.shift)} ` +
    `(${test.confidence * 100}% CI ${rule.words(test.shiftLow)} to ${rule.words(test.shiftHigh)}), ${test.test} ${pValue(p)} one-sided, below alpha ${criteria.alpha}; ` +
    `the change (${rule.effectWords(effect)}) is at least the minimum of ${rule.effectWords(rule.minEffect)}. Over the ${describeWindow(criteria.window)} after the warm-up: ${rule.words(before.whole)} before, ${rule.words(after.whole)} now.`;
  return {
    ...check,
    finding: {
      kind: 'regression',
      severity: 'fail',
      title: `${rule.label} of ${subject} regressed ${rule.effectWords(effect)} (${rule.words(before.whole)} → ${rule.words(after.whole)})`,
      at,
      evidence: {
        summary,
        metric: rule.metric,
        subject,
        baseline: round(before.whole),
        run: round(after.whole),
        effect: evidenceNumber(effect),
        minEffect: rule.minEffect,
        shift: round(test.shift),
        shiftLow: round(test.shiftLow),
        shiftHigh: round(test.shiftHigh),
        confidence: test.confidence,
        medianBaseline: round(test.medianBefore),
        medianRun: round(test.medianAfter),
        p,
        pTwoSided: test.p,
        alpha: criteria.alpha,
        test: test.test,
        u: test.u,
        bucketMs,
        bucketsBaseline: test.nBefore,
        bucketsRun: test.nAfter,
        window: describeWindow(criteria.window),
      },
    },
  };
}

const ms = (value: number) => `${figure(value)} ms`;
const perSecond = (value: number) => `${figure(value)}/s`;
const points = (effect: number) => `${effect >= 0 ? '+' : ''}${figure(effect * 100)} points`;

function loadRules(criteria: RegressionCriteria): Record<'p99' | 'throughput' | 'errorRate', ShiftRule> {
  return {
    p99: { metric: 'latency-p99', label: 'p99 latency', unit: 'ms', worse: 'higher', minEffect: criteria.minP99Increase, effect: (test) => relative(test.shift, test.medianBefore), words: ms, effectWords: signed },
    throughput: {
      metric: 'throughput',
      label: 'throughput',
      unit: 'req/s',
      worse: 'lower',
      minEffect: criteria.minThroughputDrop,
      effect: (test) => -relative(test.shift, test.medianBefore),
      words: perSecond,
      effectWords: (effect) => signed(-effect),
    },
    errorRate: { metric: 'error-rate', label: 'error rate', unit: 'share', worse: 'higher', minEffect: criteria.minErrorRateIncrease, effect: (_test, before, after) => after - before, words: percent, effectWords: points },
  };
}

const slopeMBPerHour = (perMs: number) => (perMs * HOUR_MS) / MB;

function heapCheck(service: string, before: HeapBasis | undefined, after: HeapBasis | undefined, criteria: RegressionCriteria, at: number): RegressionCheck {
  const perHour = (heap: HeapBasis | undefined) => (heap ? round(slopeMBPerHour(heap.slopePerMs)) : null);
  const base = { metric: 'heap-slope' as const, subject: service, label: `heap slope of ${service}`, unit: 'MB/h', before: perHour(before), after: perHour(after), minEffect: criteria.minHeapSlopeIncreaseMBPerHour };
  if (!before || !after) {
    const missing = [before ? '' : 'the baseline', after ? '' : 'this run'].filter(Boolean).join(' and ');
    return { ...base, regressed: false, untested: `no heap line could be fitted after the warm-up in ${missing} (too few probe samples)` };
  }
  const estimate = (heap: HeapBasis) => ({
    slope: slopeMBPerHour(heap.slopePerMs),
    low: slopeMBPerHour(heap.slopeLowPerMs),
    high: slopeMBPerHour(heap.slopeHighPerMs),
    confidence: heap.confidence,
  });
  const test = compareSlopes(estimate(before), estimate(after), CONFIDENCE);
  const effect = test.difference;
  const regressed = test.pHigher < criteria.alpha && effect >= criteria.minHeapSlopeIncreaseMBPerHour;
  const check: RegressionCheck = { ...base, effect: evidenceNumber(effect), p: test.pHigher, test, regressed };
  if (!regressed) return check;
  const mbh = (value: number) => `${figure(value)} MB/h`;
  return {
    ...check,
    finding: {
      kind: 'regression',
      severity: 'fail',
      title: `Heap of ${service} now grows ${mbh(test.after)} (baseline ${mbh(test.before)})`,
      service,
      at,
      evidence: {
        summary:
          `The ${after.series} of ${service} grows ${mbh(test.after)} in this run against ${mbh(test.before)} in the baseline ` +
          `(${before.series}): ${mbh(effect)} faster (${test.confidence * 100}% CI ${mbh(test.differenceLow)} to ${mbh(test.differenceHigh)}), ` +
          `${pValue(test.pHigher)} one-sided, below alpha ${criteria.alpha} and at least the ${mbh(criteria.minHeapSlopeIncreaseMBPerHour)} minimum.`,
        metric: 'heap-slope',
        subject: service,
        baselineMBPerHour: round(test.before),
        runMBPerHour: round(test.after),
        differenceMBPerHour: evidenceNumber(effect),
        differenceLowMBPerHour: evidenceNumber(test.differenceLow),
        differenceHighMBPerHour: evidenceNumber(test.differenceHigh),
        confidence: test.confidence,
        minEffectMBPerHour: criteria.minHeapSlopeIncreaseMBPerHour,
        p: test.pHigher,
        alpha: criteria.alpha,
        test: test.test,
        pointsBaseline: before.points,
        pointsRun: after.points,
        window: describeWindow(criteria.window),
      },
    },
  };
}

/**
 * Every stream and Node service two bases share, compared metric by metric: p99 latency, throughput
 * and error rate over equal buckets, and the slope of the post-GC heap. Pure: the same two bases give
 * the same checks. `at` stamps the findings (the end of the run judged).
 */
export function compareBases(baseline: RegressionBasis, run: RegressionBasis, criteria: RegressionCriteria, at: number): RegressionCheck[] {
  const rules = loadRules(criteria);
  const bucketMs = run.bucketMs;
  const checks: RegressionCheck[] = [];
  for (const [stream, after] of Object.entries(run.streams)) {
    const before = baseline.streams[stream];
    if (!before) continue;
    checks.push(
      shiftCheck(rules.p99, stream, { buckets: before.buckets.latency.p99, whole: before.figures.latency.p99 }, { buckets: after.buckets.latency.p99, whole: after.figures.latency.p99 }, criteria, bucketMs, at),
      shiftCheck(rules.throughput, stream, { buckets: before.buckets.throughput, whole: before.figures.throughput }, { buckets: after.buckets.throughput, whole: after.figures.throughput }, criteria, bucketMs, at),
      shiftCheck(rules.errorRate, stream, { buckets: before.buckets.errorRate, whole: before.figures.errorRate }, { buckets: after.buckets.errorRate, whole: after.figures.errorRate }, criteria, bucketMs, at),
    );
  }
  const services = new Set([...Object.keys(run.heap), ...Object.keys(baseline.heap)]);
  for (const service of services) checks.push(heapCheck(service, baseline.heap[service], run.heap[service], criteria, at));
  return checks;
}

/**
 * The two bases a run is compared on. Two runs on disk are bucketed alike (by the shorter of them);
 * a basis stored in a baseline's summary.json keeps its own bucket, and the run is bucketed to match it.
 */
export function comparableBases(baseline: RunFacts | RegressionBasis, run: RunFacts, part: JudgedPart): { before: RegressionBasis; after: RegressionBasis } {
  if (!('load' in baseline)) return { before: baseline, after: regressionBasis(run, part, baseline.bucketMs) };
  const bucketMs = comparisonBucketMs(Math.min(judgedSpan(baseline, part), judgedSpan(run, part)), run.load.intervalMs ?? run.meta.sampleIntervalMs);
  return { before: regressionBasis(baseline, part, bucketMs), after: regressionBasis(run, part, bucketMs) };
}

/** A run against its baseline: a run read back from disk, or the basis kept in a baseline's summary.json. */
export function compareRegressions(baseline: RunFacts | RegressionBasis, run: RunFacts, criteria: RegressionCriteria = defaultRegressionCriteria): RegressionCheck[] {
  const { before, after } = comparableBases(baseline, run, criteria);
  return compareBases(before, after, criteria, run.endT);
}
