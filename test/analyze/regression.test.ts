import { describe, expect, it } from 'vitest';
import { compareRegressions, defaultRegressionCriteria, regressionBasis, type RegressionBasis, type RegressionCheck } from '../../src/analyze/regression/index.js';
import { hodgesLehmann, mannWhitney } from '../../src/analyze/stats/mann-whitney.js';
import { compareSlopes, shiftTest } from '../../src/analyze/stats/shift.js';
import { testedBuckets, testedUnit, untestedWords } from '../../src/analyze/regression/check.js';
import { loadCheck } from '../../src/analyze/regression/load-check.js';
import { loadRules } from '../../src/analyze/regression/load-rules.js';
import type { RunFacts } from '../../src/analyze/index.js';
import type { RunEvent } from '../../src/store/records.js';
import { encodeLatencies, gaussian, judged, loadInterval, makeRun, T0, ticks } from './run-builder.js';
import { shapedRun } from './shaped-run.js';

describe('Mann-Whitney U', () => {
  // Reference values from scipy.stats.mannwhitneyu 1.17 (the example of its documentation).
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];

  it('gives the exact p-value for small samples without ties', () => {
    const result = mannWhitney(males, females);
    expect(result.u1).toBe(17);
    expect(result.u2).toBe(3);
    expect(result.exact).toBe(true);
    expect(result.p).toBeCloseTo(0.1111111111, 10);
    expect(result.pGreater).toBeCloseTo(0.0555555556, 10);
    // P(U1 <= 17) = 1 - P(U1 >= 18) = 1 - P(U2 <= 2) = 1 - 4/126 (scipy, alternative='less': 0.96825).
    expect(result.pLess).toBeCloseTo(1 - 4 / 126, 10);
  });

  it('makes a complete separation of 5 and 5 values exactly 1 in C(10, 5)', () => {
    const result = mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(result.u1).toBe(25);
    expect(result.pGreater).toBeCloseTo(1 / 252, 12);
    expect(result.p).toBeCloseTo(2 / 252, 12);
  });

  it('uses the tie-corrected normal approximation with continuity correction when values tie', () => {
    const x = [1, 2, 2, 3, 3, 3, 4, 5];
    const y = [3, 4, 4, 5, 5, 6, 6, 7];
    const result = mannWhitney(x, y);
    expect(result.exact).toBe(false);
    expect(result.u1).toBe(7.5);
    expect(result.p).toBeCloseTo(0.010515245935858907, 6);
    expect(result.pLess).toBeCloseTo(0.005257622967929454, 6);
    expect(result.pGreater).toBeCloseTo(0.9961506863591463, 6);
  });

  it('uses the normal approximation above 40 values', () => {
    const before = Array.from({ length: 30 }, (_, index) => index + 1);
    const after = before.map((value) => value + 5.5);
    const result = mannWhitney(after, before);
    expect(result.exact).toBe(false);
    expect(result.u1).toBe(600);
    expect(result.pGreater).toBeCloseTo(0.013543159194147968, 6);
  });

  it('carries no evidence when a sample is empty or every value is equal', () => {
    expect(mannWhitney([], [1, 2, 3]).p).toBe(1);
    expect(mannWhitney([4, 4, 4, 4, 4], [4, 4, 4, 4, 4]).pGreater).toBe(1);
  });
});

describe('Hodges-Lehmann shift', () => {
  it('estimates a pure shift exactly, with Moses interval ranks 24 and 77 of 100 at 95%', () => {
    const before = Array.from({ length: 10 }, (_, index) => index);
    const shift = hodgesLehmann(before, before.map((value) => value + 20));
    expect(shift.shift).toBe(20);
    // Sorted differences 11..29; scipy/numpy: d[23] = 17, d[76] = 23.
    expect(shift.low).toBe(17);
    expect(shift.high).toBe(23);
  });

  it('shiftTest needs five values a side and reports the one-sided p in each direction', () => {
    expect(shiftTest([1, 2, 3, 4], [5, 6, 7, 8])).toBeUndefined();
    // In an order without autocorrelation: as ramps, neighbours would resemble each other (blocks, stats.test.ts).
    const test = shiftTest([3, 1, 4, 2, 5], [13, 11, 14, 12, 15])!;
    expect(test.shift).toBe(10);
    expect(test.medianBefore).toBe(3);
    expect(test.medianAfter).toBe(13);
    expect(test.pHigher).toBeCloseTo(1 / 252, 12);
    expect(test.pLower).toBeCloseTo(1, 12);
  });
});

describe('per-bucket tests of buckets that resemble their neighbours', () => {
  // Pairs of neighbours alike: lag-1 autocorrelation about 0.4, so blocks of two buckets, one effective sample each.
  const paired = (level: number) => [3, 3, 7, 7, 1, 1, 9, 9, 5, 5, 2, 2, 8, 8, 4, 4, 6, 6, 0, 0].map((value) => level + value);

  it('tests the means of blocks, and names them as what was tested', () => {
    const test = shiftTest(paired(0), paired(20))!;
    expect(test.bucketsPerBlock).toBe(2);
    expect([test.nBefore, test.nAfter]).toEqual([10, 10]);
    // The shift is of the block means: every pair is one value.
    expect(test.shift).toBe(20);
    expect(testedBuckets(test, 1250).name).toBe('median of 2.5 s blocks');
    expect(testedUnit(test, 1250)).toEqual({ per: '2.5 s block', one: '2.5 s block', many: 'blocks of 2 1.25 s buckets' });
    expect(testedUnit({ bucketsPerBlock: 1 }, 1250)).toEqual({ per: '1.25 s', one: '1.25 s bucket', many: 'buckets' });
  });

  it('a p99 regression found in blocks says so in its row and its finding', () => {
    const rule = loadRules(defaultRegressionCriteria).find((entry) => entry.metric === 'latency-p99')!;
    const check = loadCheck(rule, 'http', { buckets: paired(100), whole: 110 }, { buckets: paired(200), whole: 210 }, defaultRegressionCriteria, 1250, T0);
    expect(check.outcome).toBe('regressed');
    expect(check.tested!.name).toBe('median of 2.5 s blocks');
    expect(check.reason).toMatch(/^\+\d+\.\d+% per block, p [=<] [\d.e-]+ one-sided/);
    expect(check.finding!.title).toMatch(/in the median 2\.5 s block$/);
    expect(check.finding!.evidence.summary).toMatch(/^Per-2\.5 s block p99 latency of http moved from a median of [\d.]+ ms \(baseline, 10 blocks of 2 1\.25 s buckets\)/);
  });

  it('says why a run whose buckets follow a trend has too few independent values to test', () => {
    const rising = Array.from({ length: 12 }, (_, index) => index + (index % 2) * 0.5);
    expect(shiftTest(rising, rising.map((value) => value + 1))).toBeUndefined();
    expect(untestedWords(rising, rising.map((value) => value + 1), 1250, ['baseline', 'this run'])).toMatch(
      /^too few independent values for a significance test: baseline 12, this run 12 1\.25 s buckets, whose lag-1 autocorrelation 0\.\d+ leaves blocks of \d+ \(baseline [1-4], this run [1-4]; at least 5 each\)$/,
    );
    expect(untestedWords([1, 2, 3], [4, 5, 6, 7, 8], 1000)).toBe('too few 1 s buckets with data (3 and 5; at least 5 each) for a significance test');
  });
});

describe('two slopes compared', () => {
  it('reads each standard error off its 95% interval and tests the difference', () => {
    const z95 = 1.959963984540054;
    const result = compareSlopes({ slope: 10, low: 10 - z95, high: 10 + z95, confidence: 0.95 }, { slope: 20, low: 20 - z95, high: 20 + z95, confidence: 0.95 });
    expect(result.difference).toBe(10);
    expect(result.z).toBeCloseTo(10 / Math.SQRT2, 6);
    expect(result.differenceLow).toBeCloseTo(10 - z95 * Math.SQRT2, 6);
    expect(result.differenceHigh).toBeCloseTo(10 + z95 * Math.SQRT2, 6);
    expect(result.pHigher).toBeLessThan(1e-6);
    const same = compareSlopes({ slope: 10, low: 8, high: 12, confidence: 0.95 }, { slope: 10, low: 8, high: 12, confidence: 0.95 });
    expect(same.p).toBeCloseTo(1, 9);
  });
});

const regressed = (checks: RegressionCheck[]) => checks.filter((check) => check.regressed).map((check) => check.metric);
const check = (checks: RegressionCheck[], metric: string) => checks.find((entry) => entry.metric === metric)!;

describe('compareRegressions', () => {
  it('flags p99 latency 60% slower, with both runs figures, the effect and the confidence in the evidence', () => {
    const checks = compareRegressions(shapedRun({ seed: 1, latencyMs: 50 }), shapedRun({ seed: 2, latencyMs: 80 }));
    expect(regressed(checks)).toEqual(['latency-p99']);
    const p99 = check(checks, 'latency-p99');
    expect(p99.effect).toBeGreaterThan(0.5);
    expect(p99.effect).toBeLessThan(0.7);
    expect(p99.p).toBeLessThan(0.001);
    const evidence = p99.finding!.evidence;
    expect(evidence.baseline as number).toBeGreaterThan(50);
    expect(evidence.run as number).toBeGreaterThan(80);
    expect(evidence.shiftLow as number).toBeLessThan(evidence.shift as number);
    expect(evidence.shiftHigh as number).toBeGreaterThan(evidence.shift as number);
    expect(evidence.confidence).toBe(0.95);
    expect(evidence.summary).toMatch(/Hodges-Lehmann shift .* \(95% CI .*\), Mann-Whitney U \((exact|normal approximation, tie-corrected)\) p = .* one-sided/);
    expect(p99.finding!.severity).toBe('fail');
  });

  // 90 s: a heap line of 80 s after the warm-up, long enough for its slope to be compared (MIN_HEAP_SPAN_MS).
  it('flags nothing between two runs of the same service', () => {
    const checks = compareRegressions(shapedRun({ seed: 3, latencyMs: 50, heapMBPerHour: 0, seconds: 90 }), shapedRun({ seed: 4, latencyMs: 50, heapMBPerHour: 0, seconds: 90 }));
    expect(checks.map((entry) => entry.metric)).toEqual(['latency-p99', 'throughput', 'error-rate', 'heap-slope']);
    expect(regressed(checks)).toEqual([]);
    expect(checks.every((entry) => entry.untested === undefined)).toBe(true);
  });

  it('does not flag a change that is significant but below the minimum effect', () => {
    const checks = compareRegressions(shapedRun({ seed: 5, latencyMs: 50, spread: 0.01 }), shapedRun({ seed: 6, latencyMs: 52, spread: 0.01 }));
    const p99 = check(checks, 'latency-p99');
    expect(p99.p).toBeLessThan(defaultRegressionCriteria.alpha);
    expect(p99.effect).toBeLessThan(defaultRegressionCriteria.minP99Increase);
    expect(p99.regressed).toBe(false);
  });

  it('flags a 20% fall in throughput and a 5-point rise in errors', () => {
    const checks = compareRegressions(shapedRun({ seed: 7, latencyMs: 20, rate: 500 }), shapedRun({ seed: 8, latencyMs: 20, rate: 400, errorShare: 0.05 }));
    expect(regressed(checks).sort()).toEqual(['error-rate', 'throughput']);
    expect(check(checks, 'throughput').effect).toBeCloseTo(0.2, 1);
    expect(check(checks, 'error-rate').effect).toBeCloseTo(0.0476, 3);
  });

  it('flags a heap that now grows 200 MB/h against a flat baseline', () => {
    const checks = compareRegressions(shapedRun({ seed: 9, latencyMs: 20, seconds: 90 }), shapedRun({ seed: 10, latencyMs: 20, heapMBPerHour: 200, seconds: 90 }));
    expect(regressed(checks)).toEqual(['heap-slope']);
    const heap = check(checks, 'heap-slope');
    expect(heap.after!).toBeGreaterThan(150);
    expect(heap.after!).toBeLessThan(250);
    expect(heap.finding!.evidence.differenceLowMBPerHour as number).toBeGreaterThan(0);
  });

  // A small change: a tenfold one is a regression however few the buckets (below).
  it('says why a run too short to have five buckets is not tested', () => {
    const checks = compareRegressions(shapedRun({ seed: 11, latencyMs: 50, seconds: 14 }), shapedRun({ seed: 12, latencyMs: 55, seconds: 14 }));
    const p99 = check(checks, 'latency-p99');
    expect(p99.regressed).toBe(false);
    expect(p99.untested).toMatch(/too few 1 s buckets with data \(baseline 4, this run 4; at least 5 each\)/);
  });

  it('gives the same answer against a baseline kept as a basis in summary.json as against its run', () => {
    const baseline = shapedRun({ seed: 13, latencyMs: 50 });
    const run = shapedRun({ seed: 14, latencyMs: 70 });
    const stored = JSON.parse(JSON.stringify(regressionBasis(baseline, { warmupMs: defaultRegressionCriteria.warmupMs }))) as RegressionBasis;
    const fromRun = compareRegressions(baseline, run).map(({ metric, regressed: flag, p }) => ({ metric, flag, p }));
    const fromBasis = compareRegressions(stored, run).map(({ metric, regressed: flag, p }) => ({ metric, flag, p }));
    expect(fromBasis).toEqual(fromRun);
    expect(fromRun.find((entry) => entry.metric === 'latency-p99')!.flag).toBe(true);
  });

  it('compares only the phases asked for: a slower ramp is no regression of the steady state', () => {
    /** 200 s of ramp, then 40 s of steady load; the ramp's latency is chosen per run. */
    const phasedRun = (seed: number, rampLatencyMs: number): RunFacts => {
      const noise = gaussian(seed, 1);
      const load = ticks(1, 240).map((t, index) => {
        const phase = index < 200 ? 'ramp' : 'steady';
        const typical = phase === 'ramp' ? rampLatencyMs : 50;
        return loadInterval(t, { phase, hdr: encodeLatencies(Array.from({ length: 100 }, () => Math.max(0.1, typical * (1 + 0.1 * noise())))) });
      });
      const events: RunEvent[] = [
        { t: T0, type: 'phase-start', stream: 'http', phase: 'ramp', kind: 'ramp', durationMs: 200_000 },
        { t: T0 + 200_000, type: 'phase-start', stream: 'http', phase: 'steady', kind: 'steady', durationMs: 40_000 },
      ];
      return judged(makeRun({ load, events, durationMs: 240_000 }));
    };
    const baseline = phasedRun(15, 50);
    const run = phasedRun(16, 200);
    expect(regressed(compareRegressions(baseline, run))).toEqual(['latency-p99']);
    const steadyOnly = compareRegressions(baseline, run, { ...defaultRegressionCriteria, window: ['steady'] });
    const p99 = check(steadyOnly, 'latency-p99');
    expect(p99.untested).toBeUndefined();
    expect(p99.regressed).toBe(false);
    expect(p99.before).toBeLessThan(70);
    expect(p99.after).toBeLessThan(70);
    // The stored basis says which phases it holds, so a gate can tell it from a whole-run one.
    expect(regressionBasis(run, { warmupMs: 10_000, window: ['steady'] }).window).toEqual(['steady']);
  });
});

