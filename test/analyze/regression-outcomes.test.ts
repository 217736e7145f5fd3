import { describe, expect, it } from 'vitest';
import { regressionBasis } from '../../src/analyze/regression/basis.js';
import { comparisonOutcome, compareRegressions, type RegressionCheck } from '../../src/analyze/regression/index.js';
import type { Finding } from '../../src/analyze/types.js';
import type { RunEvent } from '../../src/store/records.js';
import { encodeLatencies, gaussian, judged, loadInterval, makeRun, T0, ticks } from './run-builder.js';
import { shapedRun } from './shaped-run.js';

const check = (checks: RegressionCheck[], metric: string) => checks.find((entry) => entry.metric === metric)!;
const outcomes = (checks: RegressionCheck[]) => Object.fromEntries(checks.map((entry) => [entry.metric, entry.outcome]));
const finding = (kind: string, severity: Finding['severity'], service?: string): Finding => ({ kind, severity, title: kind, ...(service ? { service } : {}), evidence: { summary: kind } });

describe('regression checks both ways, with a large-effect rule', () => {
  it('a tenfold p99 is a regression however few the buckets, and the same two runs swapped read improved', () => {
    const fast = shapedRun({ seed: 21, latencyMs: 50, seconds: 14 });
    const slow = shapedRun({ seed: 22, latencyMs: 500, seconds: 14 });
    const worse = check(compareRegressions(fast, slow), 'latency-p99');
    expect(worse.outcome).toBe('regressed');
    expect(worse.untested).toMatch(/^too few 1 s buckets with data/);
    expect(worse.reason).toMatch(/^×\d+(\.\d+)? over the run, past the ×2 large effect, with 4 of this run's 4 buckets past every bucket of the baseline and ×2 its median bucket; too few 1 s buckets/);
    expect(worse.finding!.evidence.basis).toBe('large whole-run change');
    const better = check(compareRegressions(slow, fast), 'latency-p99');
    expect(better.outcome).toBe('improved');
    expect(better.finding).toBeUndefined();
  });

  it('a single stall that doubles a p99 from one bucket is no regression, and the row says why', () => {
    const steady = shapedRun({ seed: 23, latencyMs: 50 });
    const stalled = shapedRun({ seed: 24, latencyMs: 50, stall: { seconds: [30], latencyMs: 1500 } });
    const p99 = check(compareRegressions(steady, stalled), 'latency-p99');
    expect(p99.after! / p99.before!).toBeGreaterThan(2);
    expect(p99.outcome).toBe('unchanged');
    expect(p99.reason).toMatch(/past the ×2 large effect but with only 1 of this run's 12 buckets past every bucket of the baseline and ×2 its median bucket \(a change that lasts fills at least 2\)/);
  });

  it('a service answering every request with a 5xx serves nothing: throughput and error rate regressed, attempts beside what was served', () => {
    const healthy = shapedRun({ seed: 25, latencyMs: 20, rate: 200 });
    const failing = shapedRun({ seed: 26, latencyMs: 20, rate: 200, errorShare: 1 });
    const checks = compareRegressions(healthy, failing);
    expect(outcomes(checks)).toMatchObject({ throughput: 'regressed', 'error-rate': 'regressed' });
    const throughput = check(checks, 'throughput');
    // Every request of the failing run is sent and answered with a 5xx: attempted as before, served none.
    expect(throughput.attempted!.after).toBeGreaterThan(throughput.after! + 150);
    expect(check(checks, 'error-rate').after).toBeLessThanOrEqual(1);
  });

  it('keeps the error rate within 100 % when requests sent before the judged part fail in it', () => {
    // 60 s; every request sent from 5 s to 15 s times out 5 s later, so 10 s of the warm-up's sends fail after it.
    const load = ticks(1, 60).map((t, index) => {
      const second = index + 1;
      const hung = second >= 5 && second < 15;
      const landing = second >= 10 && second < 20;
      return loadInterval(t, { sent: 100, completed: hung ? 0 : 100, timeouts: landing ? 100 : 0, outcomes: { ...(hung ? {} : { '2xx': 100 }), ...(landing ? { timeout: 100 } : {}) } });
    });
    const basis = regressionBasis(judged(makeRun({ load })), { warmupMs: 10_000 });
    const { figures, buckets } = basis.streams.http!;
    expect(figures.failed).toBeGreaterThan(0);
    expect(figures.errorRate).toBeLessThanOrEqual(1);
    expect(figures.errorRate).toBeCloseTo(figures.failed / figures.requests, 10);
    expect(Math.max(...buckets.errorRate)).toBeLessThanOrEqual(1);
  });
});

describe('the judged part of a run', () => {
  it('counts the warm-up from the start of the load, not from the start of the run', () => {
    /** 80 s: the target and its database take 20 s to start, then 60 s of load whose first `slowS` seconds are slow (JIT, pools filling). */
    const startedLate = (seed: number, slowS: number) => {
      const noise = gaussian(seed, 1);
      const load = ticks(21, 80).map((t, index) => {
        const typical = index < slowS ? 400 : 50;
        return loadInterval(t, { hdr: encodeLatencies(Array.from({ length: 100 }, () => Math.max(0.1, typical * (1 + 0.1 * noise())))) });
      });
      const events: RunEvent[] = [{ t: T0 + 20_000, type: 'phase-start', stream: 'http', phase: 'steady', kind: 'steady', durationMs: 60_000 }];
      return judged(makeRun({ load, events, durationMs: 80_000 }));
    };
    const p99 = check(compareRegressions(startedLate(33, 0), startedLate(34, 8)), 'latency-p99');
    expect(p99.outcome).toBe('unchanged');
    expect(p99.after).toBeLessThan(70);
  });
});

describe('the heap-slope check: deferred to memory-leak, long enough and large enough', () => {
  it('does not compare the slopes when both runs clear memory-leak, nor when both raise it', () => {
    const flat = shapedRun({ seed: 27, latencyMs: 20, seconds: 90 });
    const growing = shapedRun({ seed: 28, latencyMs: 20, seconds: 90, heapMBPerHour: 200 });
    const cleared = check(compareRegressions(flat, growing, undefined, { baseline: [], run: [] }), 'heap-slope');
    expect(cleared).toMatchObject({ outcome: 'unchanged', verdict: 'unchanged' });
    expect(cleared.reason).toMatch(/^neither run raised memory-leak/);
    const leak = [finding('memory-leak', 'fail', 'target')];
    const both = check(compareRegressions(flat, growing, undefined, { baseline: leak, run: leak }), 'heap-slope');
    expect(both).toMatchObject({ outcome: 'unchanged', verdict: 'memory-leak in both runs' });
    // Only this run raised it: the slopes are compared.
    const only = check(compareRegressions(flat, growing, undefined, { baseline: [], run: leak }), 'heap-slope');
    expect(only.outcome).toBe('regressed');
    expect(only.reason).toMatch(/memory-leak raised in this run only$/);
  });

  it('says a heap line shorter than a minute is too short to compare, however steep', () => {
    const heap = check(compareRegressions(shapedRun({ seed: 29, latencyMs: 20, seconds: 45 }), shapedRun({ seed: 30, latencyMs: 20, seconds: 45, heapMBPerHour: 400 })), 'heap-slope');
    expect(heap.outcome).toBe('untested');
    expect(heap.reason).toMatch(/^too short to compare heap growth: the heap lines span \d+s \(baseline\) and \d+s \(this run\) after the warm-up, at least 1m00s each$/);
  });

  it('says a faster slope that adds under 1 MB over the run is too short to compare', () => {
    // 40 MB/h over the 80 s after the warm-up is under 0.9 MB.
    const heap = check(compareRegressions(shapedRun({ seed: 31, latencyMs: 20, seconds: 90 }), shapedRun({ seed: 32, latencyMs: 20, seconds: 90, heapMBPerHour: 40 })), 'heap-slope');
    expect(heap.outcome).toBe('untested');
    expect(heap.reason).toMatch(/^too short to compare heap growth: [\d.]+ MB\/h faster adds only 0\.\d+ MB over this run's/);
  });
});

describe('comparisonOutcome: a headline that counts the lists it carries', () => {
  const checks = (...entries: RegressionCheck['outcome'][]) => entries.map((outcome, index) => ({ metric: 'throughput', subject: `s${index}`, outcome }) as RegressionCheck);

  it('reads regressed, improved or unchanged, counting failing findings only', () => {
    expect(comparisonOutcome(checks('unchanged', 'untested')).headline).toBe('unchanged: 0 regressions, 0 improvements');
    expect(comparisonOutcome(checks('improved', 'unchanged'), { appeared: [finding('fault-impact', 'info')], disappeared: [], persisted: [] }).headline).toBe('improved: 1 improvement');
    const mixed = comparisonOutcome(checks('regressed', 'improved'), { appeared: [finding('pool-exhaustion', 'fail')], disappeared: [finding('error-rate', 'fail'), finding('recovery', 'info')], persisted: [] });
    expect(mixed.headline).toBe('regressed: 1 regression, 1 failing finding appeared, 1 improvement, 1 failing finding gone');
    expect([mixed.regressions.length, mixed.appeared.length, mixed.improvements.length, mixed.disappeared.length]).toEqual([1, 1, 1, 1]);
    expect(comparisonOutcome([], { appeared: [], disappeared: [finding('error-rate', 'fail')], persisted: [] }).outcome).toBe('improved');
  });
});
