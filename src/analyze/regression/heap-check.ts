import { figure, HOUR_MS, MB, pValue, round } from '../../core/format.js';
import { formatDuration } from '../../core/duration.js';
import { describeWindow } from '../facts/spans.js';
import { compareSlopes, type SlopeComparison } from '../stats/shift.js';
import type { HeapBasis } from './basis.js';
import type { RegressionCheck, RegressionCriteria } from './check.js';

/**
 * The shortest heap line whose slope is compared. Under load V8 runs a major GC every few seconds to
 * tens of seconds, and the floor between them moves by a megabyte as code and feedback vectors settle:
 * a line over less than a minute is fitted through a handful of GC cycles, and its MB/h extrapolates a
 * one-minute wobble sixty-fold (two 45-s runs of a service that does not leak differed by 125 MB/h).
 */
export const MIN_HEAP_SPAN_MS = 60_000;
/**
 * The least extra memory the faster slope must add over the run: the memory-leak detector's own floor,
 * below which growth cannot be told from V8's housekeeping, whatever the rate.
 */
export const MIN_HEAP_RISE_BYTES = MB;

const CONFIDENCE = 0.95;
const slopeMBPerHour = (perMs: number) => (perMs * HOUR_MS) / MB;
const mbh = (value: number) => `${figure(value)} MB/h`;
const evidenceNumber = (value: number) => (Number.isFinite(value) ? round(value) : value);

type Verdict = Pick<RegressionCheck, 'outcome' | 'verdict' | 'reason' | 'untested'>;

/** When both runs' own analyses agree on memory-leak, that verdict stands: comparing two slopes beside it compares noise. */
function agreedLeak(before: HeapBasis, after: HeapBasis): Verdict | undefined {
  if (before.memoryLeak === undefined || after.memoryLeak === undefined || before.memoryLeak !== after.memoryLeak) return undefined;
  return before.memoryLeak
    ? { outcome: 'unchanged', verdict: 'memory-leak in both runs', reason: 'both runs raised memory-leak (see their findings): the leak is not new, so the slopes are not compared' }
    : { outcome: 'unchanged', verdict: 'unchanged', reason: 'neither run raised memory-leak: what is left of their slopes is noise, so they are not compared' };
}

function leakWords(before: HeapBasis, after: HeapBasis): string {
  if (after.memoryLeak && before.memoryLeak === false) return '; memory-leak raised in this run only';
  if (before.memoryLeak && after.memoryLeak === false) return '; memory-leak raised in the baseline only';
  return '';
}

function slopeVerdict(before: HeapBasis, after: HeapBasis, test: SlopeComparison, criteria: RegressionCriteria): Verdict {
  const shortest = Math.min(before.spanMs, after.spanMs);
  const leak = leakWords(before, after);
  if (shortest < MIN_HEAP_SPAN_MS) {
    const untested = `too short to compare heap growth: the heap lines span ${formatDuration(before.spanMs)} (baseline) and ${formatDuration(after.spanMs)} (this run) after the warm-up, at least ${formatDuration(MIN_HEAP_SPAN_MS)} each`;
    return { outcome: 'untested', verdict: 'not tested', reason: `${untested}${leak}`, untested };
  }
  const pLower = 1 - test.pHigher;
  const significant = Math.min(test.pHigher, pLower) < criteria.alpha;
  const large = Math.abs(test.difference) >= criteria.minHeapSlopeIncreaseMBPerHour;
  const extraBytes = ((Math.abs(test.difference) * MB) / HOUR_MS) * after.spanMs;
  if (significant && large && extraBytes < MIN_HEAP_RISE_BYTES) {
    const untested =
      `too short to compare heap growth: ${mbh(Math.abs(test.difference))} ${test.difference > 0 ? 'faster' : 'slower'} adds only ${figure(extraBytes / MB)} MB over this run's ` +
      `${formatDuration(after.spanMs)}, under the ${figure(MIN_HEAP_RISE_BYTES / MB)} MB that V8's housekeeping moves`;
    return { outcome: 'untested', verdict: 'not tested', reason: `${untested}${leak}`, untested };
  }
  const change = `${test.difference >= 0 ? '+' : ''}${mbh(test.difference)}`;
  if (significant && large) {
    const regressed = test.difference > 0;
    return { outcome: regressed ? 'regressed' : 'improved', verdict: regressed ? 'regression' : 'improved', reason: `${change}, ${pValue(Math.min(test.pHigher, pLower))} one-sided${leak}` };
  }
  if (significant) return { outcome: 'unchanged', verdict: 'changed, below the minimum effect', reason: `${change} (minimum ${mbh(criteria.minHeapSlopeIncreaseMBPerHour)})${leak}` };
  return { outcome: 'unchanged', verdict: 'no significant change', reason: leak.slice(2) };
}

/**
 * The post-GC heap slope of one Node service: deferred to the runs' memory-leak verdicts when they
 * agree, else the two Theil-Sen slopes compared, over a line long enough and a rise large enough to mean something.
 */
export function heapCheck(service: string, before: HeapBasis | undefined, after: HeapBasis | undefined, criteria: RegressionCriteria, at: number): RegressionCheck {
  const perHour = (heap: HeapBasis | undefined) => (heap ? round(slopeMBPerHour(heap.slopePerMs)) : null);
  const minEffect = criteria.minHeapSlopeIncreaseMBPerHour;
  const base = { metric: 'heap-slope' as const, subject: service, label: `heap slope of ${service}`, unit: 'MB/h', before: perHour(before), after: perHour(after), minEffect };
  if (!before || !after) {
    const missing = [before ? '' : 'the baseline', after ? '' : 'this run'].filter(Boolean).join(' and ');
    const untested = `no heap line could be fitted after the warm-up in ${missing} (too few probe samples)`;
    return { ...base, outcome: 'untested', regressed: false, verdict: 'not tested', reason: untested, untested };
  }
  const spans = { before: before.spanMs, after: after.spanMs };
  const agreed = agreedLeak(before, after);
  if (agreed) return { ...base, spans, ...agreed, regressed: false };
  const estimate = (heap: HeapBasis) => ({ slope: slopeMBPerHour(heap.slopePerMs), low: slopeMBPerHour(heap.slopeLowPerMs), high: slopeMBPerHour(heap.slopeHighPerMs), confidence: heap.confidence });
  const test = compareSlopes(estimate(before), estimate(after), CONFIDENCE);
  const verdict = slopeVerdict(before, after, test, criteria);
  const check: RegressionCheck = {
    ...base,
    spans,
    tested: { name: 'Theil-Sen slope, points', before: test.before, after: test.after, shift: test.difference, shiftLow: test.differenceLow, shiftHigh: test.differenceHigh, confidence: test.confidence, nBefore: before.points, nAfter: after.points },
    effect: evidenceNumber(test.difference),
    p: test.pHigher,
    pMoved: Math.min(test.pHigher, 1 - test.pHigher),
    test,
    ...verdict,
    regressed: verdict.outcome === 'regressed',
  };
  if (!check.regressed) return check;
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
          `The ${after.series} of ${service} grows ${mbh(test.after)} over ${formatDuration(after.spanMs)} in this run against ${mbh(test.before)} over ${formatDuration(before.spanMs)} in the baseline ` +
          `(${before.series}): ${mbh(test.difference)} faster (${test.confidence * 100}% CI ${mbh(test.differenceLow)} to ${mbh(test.differenceHigh)}), ` +
          `${pValue(test.pHigher)} one-sided, below alpha ${criteria.alpha} and at least the ${mbh(minEffect)} minimum${leakWords(before, after)}.`,
        metric: 'heap-slope',
        subject: service,
        baselineMBPerHour: round(test.before),
        runMBPerHour: round(test.after),
        differenceMBPerHour: evidenceNumber(test.difference),
        differenceLowMBPerHour: evidenceNumber(test.differenceLow),
        differenceHighMBPerHour: evidenceNumber(test.differenceHigh),
        confidence: test.confidence,
        minEffectMBPerHour: minEffect,
        p: test.pHigher,
        alpha: criteria.alpha,
        test: test.test,
        pointsBaseline: before.points,
        pointsRun: after.points,
        spanBaselineMs: before.spanMs,
        spanRunMs: after.spanMs,
        ...(before.memoryLeak !== undefined ? { memoryLeakBaseline: before.memoryLeak } : {}),
        ...(after.memoryLeak !== undefined ? { memoryLeakRun: after.memoryLeak } : {}),
        window: describeWindow(criteria.window),
      },
    },
  };
}
