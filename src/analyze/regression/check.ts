import { figure } from '../../core/format.js';
import { independentBlocks } from '../stats/blocks.js';
import { MIN_SHIFT_SAMPLES, type ShiftTest, type SlopeComparison } from '../stats/shift.js';
import type { Finding } from '../types.js';
import type { JudgedPart } from './basis.js';

/**
 * What counts as a regression of a run against its baseline. A change must be both significant
 * (p < alpha, one-sided in the worse direction) and at least the minimum effect: with long runs a
 * 2 % shift is significant but not worth failing a pull request over. A change of the whole run past
 * the large effect is a regression however few the buckets: a per-bucket test cannot see a change that
 * fills only a few buckets (a fault window), and a short run has too few buckets for any test.
 */
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
  /** Rise of the whole run's p99 that is a regression on its own, relative (1 is twice the baseline's). */
  largeP99Increase: number;
  /** Fall of the whole run's throughput that is a regression on its own, relative (0.3 is -30 %). */
  largeThroughputDrop: number;
  /** Rise of the whole run's error rate that is a regression on its own, absolute (0.05 is 5 points). */
  largeErrorRateIncrease: number;
}

export type RegressionMetric = 'latency-p99' | 'throughput' | 'error-rate' | 'heap-slope';

/** regressed and improved: past the minimum effect and significant, or past the large effect over the whole run. */
export type CheckOutcome = 'regressed' | 'improved' | 'unchanged' | 'untested';

/** The statistic a check tested: per-bucket medians (load) or fitted slopes (heap), and the shift between them with its interval. */
export interface TestedStatistic {
  /** What it is, e.g. "median of 5 s buckets", "Theil-Sen slope". */
  name: string;
  before: number;
  after: number;
  /** after - before (Hodges-Lehmann for buckets), with its interval at `confidence`. */
  shift: number;
  shiftLow: number;
  shiftHigh: number;
  confidence: number;
  /** Buckets (load) or points of the fitted line (heap) of each run. */
  nBefore: number;
  nAfter: number;
}

/**
 * What a per-bucket test compared, in words: a "1 s bucket" ("per-1 s p99"), or a "3 s block" of three
 * 1 s buckets ("per-3 s block p99") when the buckets resembled their neighbours (blocks.ts).
 */
export function testedUnit(test: Pick<ShiftTest, 'bucketsPerBlock'>, bucketMs: number): { per: string; one: string; many: string } {
  const seconds = figure(bucketMs / 1000);
  if (test.bucketsPerBlock <= 1) return { per: `${seconds} s`, one: `${seconds} s bucket`, many: 'buckets' };
  const block = `${figure((test.bucketsPerBlock * bucketMs) / 1000)} s block`;
  return { per: block, one: block, many: `blocks of ${test.bucketsPerBlock} ${seconds} s buckets` };
}

/** A per-bucket test as the statistic it tested. */
export function testedBuckets(test: ShiftTest, bucketMs: number): TestedStatistic {
  return {
    name: `median of ${testedUnit(test, bucketMs).one}s`,
    before: test.medianBefore,
    after: test.medianAfter,
    shift: test.shift,
    shiftLow: test.shiftLow,
    shiftHigh: test.shiftHigh,
    confidence: test.confidence,
    nBefore: test.nBefore,
    nAfter: test.nAfter,
  };
}

/**
 * Why two samples of buckets were not tested: too few buckets, or too few blocks once buckets that
 * resemble their neighbours are grouped ("baseline 12, this run 12" with names, "12 and 12" without).
 */
export function untestedWords(before: readonly number[], after: readonly number[], bucketMs: number, names?: [string, string]): string {
  const counts = (a: number, b: number) => (names ? `${names[0]} ${a}, ${names[1]} ${b}` : `${a} and ${b}`);
  const buckets = `${figure(bucketMs / 1000)} s buckets`;
  if (before.length < MIN_SHIFT_SAMPLES || after.length < MIN_SHIFT_SAMPLES) {
    return `too few ${buckets} with data (${counts(before.length, after.length)}; at least ${MIN_SHIFT_SAMPLES} each) for a significance test`;
  }
  const blocks = independentBlocks(before, after);
  const grouped = Number.isFinite(blocks.length) ? `blocks of ${blocks.length}` : 'one block each';
  return (
    `too few independent values for a significance test: ${counts(before.length, after.length)} ${buckets}, whose lag-1 autocorrelation ` +
    `${figure(blocks.autocorrelation)} leaves ${grouped} (${counts(blocks.before.length, blocks.after.length)}; at least ${MIN_SHIFT_SAMPLES} each)`
  );
}

/** One metric of one stream or service, compared; `finding` is set when it regressed. */
export interface RegressionCheck {
  metric: RegressionMetric;
  /** The stream or service compared. */
  subject: string;
  label: string;
  unit: string;
  /** Each run's figure over the whole judged part (heap: the fitted slope, MB/h). */
  before: number | null;
  after: number | null;
  /** Throughput: each run's requests sent per second over the same stretch, beside what it served. */
  attempted?: { before: number; after: number };
  /** The statistic that was tested. */
  tested?: TestedStatistic;
  /** The tested change, worse positive: relative (p99, throughput), or in the unit (error rate, heap slope). */
  effect?: number;
  minEffect: number;
  /** The whole-run change, worse positive, in the same terms as `effect`; and the change that is a regression on its own. */
  wholeEffect?: number;
  largeEffect?: number;
  /** One-sided p-value in the worse direction. */
  p?: number;
  /** One-sided p-value in the direction the tested figure moved (what a table shows beside an improvement too). */
  pMoved?: number;
  test?: ShiftTest | SlopeComparison;
  outcome: CheckOutcome;
  /** outcome === 'regressed'. */
  regressed: boolean;
  /** The outcome in a few words ("regression", "improved", "no significant change", "not tested"). */
  verdict: string;
  /** Why, in one sentence; empty when the verdict says it all. */
  reason: string;
  /** Why the statistic could not be tested (a large whole-run change still decides the outcome). */
  untested?: string;
  /** Heap: the time each run's fitted line spans, ms (its rise is the slope times this). */
  spans?: { before: number; after: number };
  finding?: Finding;
}
