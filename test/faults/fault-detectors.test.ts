import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { faultImpact } from '../../src/analyze/detectors/fault-impact.js';
import { recovery } from '../../src/analyze/detectors/recovery.js';
import type { AnalysisConfig } from '../../src/analyze/types.js';
import type { LoadInterval, RunEvent } from '../../src/store/records.js';
import { judged, testMeta, type RunRecords } from '../analyze/run-builder.js';

const t0 = 1_700_000_000_000;
const config: AnalysisConfig = { warmupMs: 0, alpha: 0.05, minLeakMBPerHour: 1, eventLoopMaxMs: 1000, eventLoopP99Ms: 200, errorRate: 0.01, latency: {} };

/** One 1 s interval ending at t0 + second s, with `completed` requests all taking `latencyMs`. */
function interval(second: number, completed: number, latencyMs: number, errors = 0, stream = 'http'): LoadInterval {
  const histogram = build();
  if (completed > 0) histogram.recordValueWithCount(latencyMs * 1000, completed);
  const hdr = encodeIntoCompressedBase64(histogram);
  histogram.destroy();
  const count = completed;
  return {
    t: t0 + second * 1000,
    span: 1000,
    stream,
    driver: 'http',
    phase: 'steady',
    scheduled: completed + errors,
    sent: completed + errors,
    completed,
    errors,
    timeouts: 0,
    // Every request that ended, once, as a record states it: responses by status class, the rest by error code.
    outcomes: { ...(completed > 0 ? { '2xx': completed } : {}), ...(errors > 0 ? { ECONNREFUSED: errors } : {}) },
    latency: { count, mean: latencyMs, p50: latencyMs, p90: latencyMs, p99: latencyMs, max: latencyMs },
    hdr,
    inflight: 0,
  };
}

/** 60 s of load at 100/s and 10 ms, degraded by `during(second)` where it returns figures. */
function run(options: { faults: [string, number, number | null][]; degraded: (second: number) => [number, number, number?] | undefined; seconds?: number; streams?: string[] }): RunRecords {
  const seconds = options.seconds ?? 60;
  const load: LoadInterval[] = [];
  for (const stream of options.streams ?? ['http']) {
    for (let second = 1; second <= seconds; second++) {
      const [completed, latency, errors] = options.degraded(second) ?? [100, 10, 0];
      load.push(interval(second, completed, latency, errors, stream));
    }
  }
  const events: RunEvent[] = [];
  for (const [fault, start, end] of options.faults) {
    events.push({ t: t0 + start * 1000, type: 'fault-start', fault, kind: 'pause', target: 'api' });
    if (end !== null) events.push({ t: t0 + end * 1000, type: 'fault-end', fault, kind: 'pause', target: 'api' });
  }
  events.sort((a, b) => a.t - b.t);
  return { dir: '/tmp/none', meta: testMeta({ startedAt: t0, plannedMs: seconds * 1000 }), startT: t0, endT: t0 + seconds * 1000, node: [], os: [], load, events };
}

describe('fault-impact detector', () => {
  it('compares the fault window with the 30 s before it', () => {
    const data = run({ faults: [['freeze', 40, 45]], degraded: (second) => (second > 40 && second <= 45 ? [20, 400, 30] : undefined) });
    const [finding] = faultImpact.detect(judged(data, config));
    expect(finding).toMatchObject({ kind: 'fault-impact', severity: 'info', service: 'api', at: t0 + 40_000 });
    expect(finding!.evidence.during).toMatchObject({ intervals: 5, completed: 100, errors: 150, throughput: 20, errorRate: 0.6 });
    expect((finding!.evidence.during as { p99: number }).p99).toBeCloseTo(400, 0);
    expect(finding!.evidence.baseline).toMatchObject({ intervals: 30, throughput: 100, errorRate: 0 });
    expect((finding!.evidence.baseline as { p99: number }).p99).toBeCloseTo(10, 0);
    expect(finding!.evidence.summary).toContain('throughput 20/s (before: 100/s)');
  });

  it('counts 500s as failures, not throughput, and takes the error rate over the requests that ended in the window', () => {
    const data = run({ faults: [['crash-db', 40, 45]], degraded: () => undefined });
    // During the fault every answer is a 500, and 50 requests sent before it fail in it too.
    data.load = data.load.map((interval): LoadInterval => {
      if (interval.t <= t0 + 40_000 || interval.t > t0 + 45_000) return { ...interval, outcomes: { '2xx': interval.completed } };
      return { ...interval, errors: interval.completed + (interval.t === t0 + 41_000 ? 50 : 0), outcomes: { '5xx': interval.completed } };
    });
    const [finding] = faultImpact.detect(judged(data, config));
    expect(finding!.evidence.during).toMatchObject({ sent: 500, completed: 500, errors: 550, throughput: 0, errorRate: 1 });
    expect(finding!.evidence.baseline).toMatchObject({ throughput: 100, errorRate: 0 });
  });

  it('leaves another fault out of the baseline and says when there is none', () => {
    const data = run({ faults: [['first', 0, 10], ['second', 20, 25]], degraded: (second) => (second <= 10 ? [0, 0, 100] : undefined) });
    const [first, second] = faultImpact.detect(judged(data, config));
    expect(first!.evidence.baseline).toBeNull();
    expect(first!.evidence.summary).toContain('no load in the 30 s before it');
    expect(second!.evidence.baseline).toMatchObject({ intervals: 10, throughput: 100, errorRate: 0 });
  });
});

describe('fault-impact: during the fault and the catch-up after it', () => {
  it('a 3-s pause ending late in an interval: ~0 served during it, the burst of answers after it is catch-up', () => {
    // Paused from +40.2 s to +43.7 s: nothing completes in the intervals that close by then; the
    // interval closing at +44 s answers the backlog (350 at once, late), then the load is back.
    const data = run({ faults: [], degraded: (second) => (second >= 41 && second <= 43 ? [0, 0] : second === 44 ? [450, 2900] : undefined) });
    data.events = [
      { t: t0 + 40_200, type: 'fault-start', fault: 'stop', kind: 'pause', target: 'api' },
      { t: t0 + 43_700, type: 'fault-end', fault: 'stop', kind: 'pause', target: 'api' },
    ];
    const [finding] = faultImpact.detect(judged(data, config));
    expect(finding!.evidence.during).toMatchObject({ intervals: 3, completed: 0, throughput: 0 });
    expect(finding!.evidence.catchUp).toMatchObject({ intervals: 1, completed: 450 });
    expect((finding!.evidence.catchUp as { p99: number }).p99).toBeGreaterThanOrEqual(2900);
    expect(finding!.evidence.summary).toMatch(/Catch-up after it \(1 interval/);
  });

  it('a pause in which every request timed out says no response completed, not the p99 of the timeouts entered at the timeout', () => {
    const data = run({ faults: [['freeze', 40, 45]], degraded: () => undefined });
    data.load = data.load.map((entry) => {
      if (entry.t <= t0 + 40_000 || entry.t > t0 + 45_000) return entry;
      // Each arrival times out after 5 s and enters the histogram at the timeout, as the recorder does.
      const timedOut = interval(0, 100, 5000);
      return { ...entry, completed: 0, timeouts: 100, censored: 100, outcomes: { ETIMEDOUT: 100 }, hdr: timedOut.hdr, latency: timedOut.latency };
    });
    const [finding] = faultImpact.detect(judged(data, config));
    expect(finding!.evidence.during).toMatchObject({ completed: 0, timeouts: 500, throughput: 0, errorRate: 1 });
    expect(finding!.title).toBe('During pause "freeze" on api: throughput 0/s, no response completed, error rate 100%');
    expect(finding!.evidence.summary).toContain('no response completed (before: p99 10 ms)');
  });
});

describe('recovery detector', () => {
  it('reports a recovery within the budget as information, with the time measured', () => {
    // The fault ends at 45 s; seconds 46-48 are still slow, 49 on are back.
    const data = run({ faults: [['freeze', 40, 45]], degraded: (second) => (second > 40 && second <= 48 ? [10, 500] : undefined) });
    const [finding] = recovery.detect(judged(data, config));
    expect(finding).toMatchObject({ kind: 'recovery', severity: 'info' });
    expect(finding!.evidence.recoveryMs).toBe(3000);
  });

  it('fails a recovery slower than the budget from the analysis config', () => {
    const data = run({ faults: [['freeze', 20, 25]], degraded: (second) => (second > 20 && second <= 40 ? [100, 80] : undefined) });
    const [finding] = recovery.detect(judged(data, { ...config, recoveryMs: 10_000 }));
    expect(finding).toMatchObject({ kind: 'slow-recovery', severity: 'fail', at: t0 + 25_000 + 15_000 });
    expect(finding!.evidence.recoveryMs).toBe(15_000);
    expect(recovery.detect(judged(data, { ...config, recoveryMs: 20_000 }))[0]).toMatchObject({ kind: 'recovery', severity: 'info' });
  });

  it('needs three good intervals in a row, not one lucky one', () => {
    const data = run({ faults: [['freeze', 20, 25]], degraded: (second) => (second > 20 && second <= 40 && second !== 30 ? [50, 10] : undefined) });
    expect(recovery.detect(judged(data, config))[0]!.evidence.recoveryMs).toBe(15_000);
  });

  it('fails when the load never comes back, and only warns when the run ended too soon to tell', () => {
    const never = run({ faults: [['kill', 20, 21]], degraded: (second) => (second > 20 ? [0, 0, 100] : undefined) });
    expect(recovery.detect(judged(never, config))[0]).toMatchObject({ kind: 'slow-recovery', severity: 'fail', evidence: { recoveryMs: null } });
    const short = run({ faults: [['kill', 20, 55]], degraded: (second) => (second > 20 ? [0, 0, 100] : undefined) });
    expect(recovery.detect(judged(short, config))[0]).toMatchObject({ kind: 'slow-recovery', severity: 'warn' });
  });

  it('does not take quick 500s for a recovery: only responses that are not server errors count', () => {
    // From the fault on, every request is answered as fast as before, with a 500.
    const data = run({ faults: [['crash-db', 20, 25]], degraded: () => undefined });
    const failing = (interval: LoadInterval): LoadInterval => ({ ...interval, errors: interval.completed, outcomes: { '5xx': interval.completed } });
    data.load = data.load.map((interval) => (interval.t > t0 + 20_000 ? failing(interval) : { ...interval, outcomes: { '2xx': interval.completed } }));
    expect(recovery.detect(judged(data, config))[0]).toMatchObject({ kind: 'slow-recovery', severity: 'fail', evidence: { recoveryMs: null } });
    // Once the 500s stop, it recovers.
    data.load = data.load.map((interval) => (interval.t > t0 + 30_000 ? { ...interval, errors: 0, outcomes: { '2xx': interval.completed } } : interval));
    expect(recovery.detect(judged(data, config))[0]).toMatchObject({ kind: 'recovery', severity: 'info', evidence: { recoveryMs: 5000 } });
  });

  it('takes the slowest stream and skips faults still active at the end', () => {
    const data = run({ faults: [['freeze', 20, 25], ['hang', 50, null]], streams: ['http', 'ws'], degraded: (second) => (second > 20 && second <= 32 ? [10, 10] : undefined) });
    const findings = recovery.detect(judged(data, config));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.recoveryMs).toBe(7000);
    expect((findings[0]!.evidence.streams as unknown[]).length).toBe(2);
  });
});
