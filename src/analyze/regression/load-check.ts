import { figure, pValue, round } from '../../core/format.js';
import { describeWindow } from '../facts/spans.js';
import { shiftTest, type ShiftTest } from '../stats/shift.js';
import type { Finding } from '../types.js';
import { testedBuckets, testedUnit, untestedWords, type CheckOutcome, type RegressionCheck, type RegressionCriteria } from './check.js';
import { farWorse, MIN_BUCKETS_FAR_WORSE, spreadEnough } from './effect.js';
import type { LoadRule, Sample } from './load-rules.js';

const CONFIDENCE = 0.95;

/** An effect's size whichever way it went: "10.00%" of "+10.00%". */
const unsigned = (words: string) => words.replace(/^[+-]/, '');

/** Finite numbers rounded for evidence; an infinite change (from a zero baseline) stays as it is. */
const evidenceNumber = (value: number) => (Number.isFinite(value) ? round(value) : value);

/** Whether `after` is worse than `before`, by the per-bucket test or by a large whole-run change. */
interface Assessment {
  test: ShiftTest | undefined;
  p?: number;
  effect?: number;
  wholeEffect?: number;
  byTest: boolean;
  byLarge: boolean;
}

function assess(rule: LoadRule, before: Sample, after: Sample, alpha: number): Assessment {
  const test = shiftTest(before.buckets, after.buckets, CONFIDENCE);
  const p = test ? (rule.worse === 'higher' ? test.pHigher : test.pLower) : undefined;
  const effect = test ? rule.effect(test) : undefined;
  const wholeEffect = before.whole !== null && after.whole !== null ? rule.wholeEffect(before.whole, after.whole) : undefined;
  const byTest = p !== undefined && effect !== undefined && p < alpha && effect >= rule.minEffect;
  const spread = !rule.percentile || spreadEnough(before.buckets, after.buckets, rule.worse, rule.largeEffect);
  const byLarge = wholeEffect !== undefined && wholeEffect >= rule.largeEffect && spread;
  return { test, ...(p !== undefined ? { p } : {}), ...(effect !== undefined ? { effect } : {}), ...(wholeEffect !== undefined ? { wholeEffect } : {}), byTest, byLarge };
}

/** "3 of this run's 12 buckets past every bucket of the baseline and ×2 its median bucket". */
function farWorseWords(rule: LoadRule, base: Sample, run: Sample, whose: string, other: string): string {
  const count = farWorse(base.buckets, run.buckets, rule.worse, rule.largeEffect);
  return `${count} of ${whose} ${run.buckets.length} buckets past every bucket of ${other} and ${rule.largeWords} its median bucket`;
}

/** "per bucket", or "per block" when the buckets were tested in blocks. */
const per = (test: ShiftTest) => (test.bucketsPerBlock > 1 ? 'per block' : 'per bucket');

/** Why the per-bucket test saw little: too few buckets, or a change confined to a few of them. */
function testWords(rule: LoadRule, test: ShiftTest | undefined, untested: string | undefined): string {
  if (!test) return untested!;
  return `${per(test)} only ${rule.changeWords(test)} (${pValue(test.p)} two-sided): too few of the buckets changed for the per-bucket test`;
}

interface Verdict {
  outcome: CheckOutcome;
  verdict: string;
  reason: string;
}

/**
 * Why a whole-run change worth noting decided nothing: past the large effect but in too few buckets (a
 * percentile moved by one stall), or short of the large effect.
 */
function notableWords(rule: LoadRule, before: Sample, after: Sample, worse: Assessment, better: Assessment, whole: string): string {
  const few = (worseRun: Sample, otherRun: Sample, whose: string, other: string, way: string) =>
    `${whole}, past the ${rule.largeWords} large effect${way} but with only ${farWorseWords(rule, otherRun, worseRun, whose, other)} (a change that lasts fills at least ${MIN_BUCKETS_FAR_WORSE})`;
  if (worse.wholeEffect !== undefined && worse.wholeEffect >= rule.largeEffect) return few(after, before, "this run's", 'the baseline', '');
  if (better.wholeEffect !== undefined && better.wholeEffect >= rule.largeEffect) return few(before, after, "the baseline's", 'this run', ' the other way');
  if (worse.wholeEffect === undefined || Math.abs(worse.wholeEffect) < rule.minEffect) return '';
  return `${whole}, short of the ${worse.wholeEffect > 0 ? `${rule.largeWords} large effect` : 'large effect the other way'}`;
}

function verdictOf(rule: LoadRule, before: Sample, after: Sample, worse: Assessment, better: Assessment, untested: string | undefined, alpha: number): Verdict {
  const { test } = worse;
  const whole = before.whole !== null && after.whole !== null ? `${rule.wholeWords(before.whole, after.whole)} over the run` : '';
  const past = (worseRun: Sample, otherRun: Sample, whose: string, other: string) =>
    rule.percentile ? `, with ${farWorseWords(rule, otherRun, worseRun, whose, other)}` : '';
  if (worse.byTest) return { outcome: 'regressed', verdict: 'regression', reason: `${rule.changeWords(test!)} ${per(test!)}, ${pValue(worse.p!)} one-sided (minimum ${rule.effectWords(rule.minEffect)})` };
  if (worse.byLarge) {
    return { outcome: 'regressed', verdict: 'regression', reason: `${whole}, past the ${rule.largeWords} large effect${past(after, before, "this run's", 'the baseline')}; ${testWords(rule, test, untested)}` };
  }
  if (better.byTest) return { outcome: 'improved', verdict: 'improved', reason: `${rule.changeWords(test!)} ${per(test!)}, ${pValue(better.p!)} one-sided (minimum ${unsigned(rule.effectWords(rule.minEffect))} either way)` };
  if (better.byLarge) return { outcome: 'improved', verdict: 'improved', reason: `${whole}, past the large effect the other way${past(before, after, "the baseline's", 'this run')}; ${testWords(rule, test, untested)}` };
  const notable = notableWords(rule, before, after, worse, better, whole);
  if (!test) return { outcome: 'untested', verdict: 'not tested', reason: [untested!, notable].filter(Boolean).join('; ') };
  const significant = Math.min(test.pHigher, test.pLower) < alpha;
  if (significant) return { outcome: 'unchanged', verdict: 'changed, below the minimum effect', reason: `${rule.changeWords(test)} ${per(test)} (minimum ${unsigned(rule.effectWords(rule.minEffect))} either way)` };
  return { outcome: 'unchanged', verdict: 'no significant change', reason: notable ? `${per(test)} ${pValue(test.p)} two-sided; ${notable}` : '' };
}

/** p99, throughput or error rate of one stream: the per-bucket test both ways, and the whole-run change against the large effect. */
export function loadCheck(rule: LoadRule, subject: string, before: Sample, after: Sample, criteria: RegressionCriteria, bucketMs: number, at: number): RegressionCheck {
  const worse = assess(rule, before, after, criteria.alpha);
  const better = assess(rule, after, before, criteria.alpha);
  const { test } = worse;
  const untested = test ? undefined : untestedWords(before.buckets, after.buckets, bucketMs, ['baseline', 'this run']);
  const verdict = verdictOf(rule, before, after, worse, better, untested, criteria.alpha);
  const check: RegressionCheck = {
    metric: rule.metric,
    subject,
    label: `${rule.label} of ${subject}`,
    unit: rule.unit,
    before: before.whole,
    after: after.whole,
    ...(before.attempted !== undefined && after.attempted !== undefined ? { attempted: { before: before.attempted, after: after.attempted } } : {}),
    ...(test ? { tested: testedBuckets(test, bucketMs), test } : {}),
    ...(worse.effect !== undefined ? { effect: evidenceNumber(worse.effect) } : {}),
    minEffect: rule.minEffect,
    ...(worse.wholeEffect !== undefined ? { wholeEffect: evidenceNumber(worse.wholeEffect) } : {}),
    largeEffect: rule.largeEffect,
    ...(worse.p !== undefined ? { p: worse.p } : {}),
    ...(test ? { pMoved: Math.min(test.pHigher, test.pLower) } : {}),
    ...verdict,
    regressed: verdict.outcome === 'regressed',
    ...(untested ? { untested } : {}),
  };
  return check.regressed ? { ...check, finding: regressionFinding(rule, check, before, after, criteria, bucketMs, at) } : check;
}

function regressionFinding(rule: LoadRule, check: RegressionCheck, before: Sample, after: Sample, criteria: RegressionCriteria, bucketMs: number, at: number): Finding {
  const test = check.test as ShiftTest | undefined;
  const window = describeWindow(criteria.window);
  const byTest = test !== undefined && check.p! < criteria.alpha && check.effect! >= rule.minEffect;
  const unit = test ? testedUnit(test, bucketMs) : undefined;
  const perBucket = test
    ? `Per-${unit!.per} ${rule.label} of ${check.subject} moved from a median of ${rule.words(test.medianBefore)} (baseline, ${test.nBefore} ${unit!.many}) ` +
      `to ${rule.words(test.medianAfter)} (this run, ${test.nAfter} ${unit!.many}): Hodges-Lehmann shift ${rule.words(test.shift)} ` +
      `(${test.confidence * 100}% CI ${rule.words(test.shiftLow)} to ${rule.words(test.shiftHigh)}), ${test.test} ${pValue(check.p!)} one-sided` +
      (test.bucketsPerBlock > 1 ? ` (the buckets' lag-1 autocorrelation ${figure(test.autocorrelation)} groups them in blocks, each the mean of ${test.bucketsPerBlock})` : '')
    : `There are ${check.untested}`;
  const wholeRun = `Over the ${window} after the warm-up: ${rule.words(before.whole!)} before, ${rule.words(after.whole!)} now`;
  const summary = byTest
    ? `${perBucket}, below alpha ${criteria.alpha}; the change (${rule.effectWords(check.effect!)}) is at least the minimum of ${rule.effectWords(rule.minEffect)}. ${wholeRun}.`
    : `${wholeRun} (${rule.wholeWords(before.whole!, after.whole!)}), past the ${rule.largeWords} that is a regression however few the buckets` +
      `${rule.percentile ? `, with ${farWorseWords(rule, before, after, "this run's", 'the baseline')}` : ''}. ` +
      `${perBucket}${test ? ': too few of the buckets changed for the per-bucket test to see it' : ''}.`;
  const title = byTest
    ? `${check.label} regressed ${rule.effectWords(check.effect!)} (${rule.words(test!.medianBefore)} → ${rule.words(test!.medianAfter)}) in the median ${unit!.one}`
    : `${check.label} regressed ${rule.wholeWords(before.whole!, after.whole!)} over the run (${rule.words(before.whole!)} → ${rule.words(after.whole!)})`;
  return {
    kind: 'regression',
    severity: 'fail',
    title,
    at,
    evidence: {
      summary,
      metric: rule.metric,
      subject: check.subject,
      basis: byTest ? 'per-bucket test' : 'large whole-run change',
      baseline: round(before.whole!),
      run: round(after.whole!),
      wholeEffect: check.wholeEffect,
      largeEffect: rule.largeEffect,
      minEffect: rule.minEffect,
      ...(test
        ? {
            effect: check.effect,
            shift: round(test.shift),
            shiftLow: round(test.shiftLow),
            shiftHigh: round(test.shiftHigh),
            confidence: test.confidence,
            medianBaseline: round(test.medianBefore),
            medianRun: round(test.medianAfter),
            p: check.p,
            pTwoSided: test.p,
            test: test.test,
            u: test.u,
            bucketsPerBlock: test.bucketsPerBlock,
            autocorrelation: round(test.autocorrelation),
          }
        : { untested: check.untested }),
      alpha: criteria.alpha,
      bucketMs,
      bucketsBaseline: before.buckets.length,
      bucketsRun: after.buckets.length,
      ...(rule.percentile ? { bucketsFarWorse: farWorse(before.buckets, after.buckets, rule.worse, rule.largeEffect) } : {}),
      window,
    },
  };
}
