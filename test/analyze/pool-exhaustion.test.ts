import { describe, expect, it } from 'vitest';
import { poolExhaustion } from '../../src/analyze/detectors/pool-exhaustion.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { PoolSample, RunEvent } from '../../src/store/records.js';
import { makeRun, nodeSample, T0, ticks, judged } from './run-builder.js';

const idle: PoolSample = { total: 10, idle: 6, waiting: 0, acquires: 50, acquireWaitP99: 2, acquireWaitMax: 4, acquireTimeout: 2000 };
const samplesWith = (pool: (s: number) => PoolSample, toS = 30) => ticks(0, toS).map((t) => nodeSample(t, { pools: { pg: pool((t - T0) / 1000) } }));

describe('pool-exhaustion detector', () => {
  it('flags callers waiting for 8 s in a row, with the window, the peak and acquire times', () => {
    const samples = samplesWith((s) => (s >= 10 && s < 18 ? { total: 10, idle: 0, waiting: 4 + (s - 10), acquires: 30, acquireWaitP99: 900, acquireWaitMax: 1200, acquireTimeout: 2000 } : idle));
    const [finding, ...rest] = poolExhaustion.detect(judged(makeRun({ node: samples }), defaultAnalysisConfig()));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'pool-exhaustion', service: 'target', at: T0 + 10_000 });
    expect(finding?.evidence).toMatchObject({
      pool: 'pg',
      windowStart: T0 + 10_000,
      windowEnd: T0 + 17_000,
      longestWaitMs: 8000,
      peakWaiting: 11,
      poolSizeAtPeak: 10,
      idleAtPeak: 0,
      acquireWaitP99Ms: 900,
      acquireWaitMaxMs: 1200,
      intervalsNearTimeout: 0,
    });
  });

  it('flags acquisitions that waited close to the pool timeout even without a queue at sample time', () => {
    const samples = samplesWith((s) => (s === 20 ? { ...idle, acquireWaitMax: 1900 } : idle));
    const [finding] = poolExhaustion.detect(judged(makeRun({ node: samples }), defaultAnalysisConfig()));
    expect(finding?.evidence).toMatchObject({ intervalsNearTimeout: 1, firstNearTimeoutAt: T0 + 20_000, acquireTimeoutMs: 2000 });
    expect(finding?.at).toBe(T0 + 20_000);
  });

  it('leaves acquisitions that time out while a fault freezes the database to the fault, but not a lasting queue', () => {
    const freeze: RunEvent[] = [
      { t: T0 + 10_000, type: 'fault-start', fault: 'freeze-db', kind: 'pause', target: 'postgres' },
      { t: T0 + 20_000, type: 'fault-end', fault: 'freeze-db', kind: 'pause', target: 'postgres' },
    ];
    // A breaker's trial connection every other second runs into the 1 s timeout; the last one ends just after the fault.
    const trials = samplesWith((s) => (s > 10 && s <= 21 && s % 2 === 1 ? { total: 1, idle: 0, waiting: 0, acquires: 1, acquireWaitMax: 1000, acquireTimeout: 1000 } : idle));
    expect(poolExhaustion.detect(judged(makeRun({ node: trials, events: freeze }), defaultAnalysisConfig()))).toEqual([]);
    // The same waits with no fault to explain them are flagged.
    expect(poolExhaustion.detect(judged(makeRun({ node: trials }), defaultAnalysisConfig()))[0]?.evidence).toMatchObject({ intervalsNearTimeout: 6 });
    // A queue that lasts through the fault is the pool's own problem.
    const queued = samplesWith((s) => (s > 10 && s <= 20 ? { total: 10, idle: 0, waiting: 8, acquires: 5, acquireWaitMax: 1900, acquireTimeout: 2000 } : idle));
    expect(poolExhaustion.detect(judged(makeRun({ node: queued, events: freeze }), defaultAnalysisConfig()))[0]?.evidence).toMatchObject({ longestWaitMs: 10_000, intervalsNearTimeout: 0 });
  });

  it('flags a queue that keeps coming back in more than a fifth of the samples', () => {
    const samples = samplesWith((s) => (s % 3 === 0 ? { ...idle, idle: 0, waiting: 2 } : idle));
    const [finding] = poolExhaustion.detect(judged(makeRun({ node: samples }), defaultAnalysisConfig()));
    expect(finding?.evidence.samplesWaiting).toBe(11);
  });

  it('does not flag a pool with a short queue now and then', () => {
    const samples = samplesWith((s) => (s === 5 || s === 6 || s === 22 ? { ...idle, idle: 0, waiting: 3 } : idle));
    expect(poolExhaustion.detect(judged(makeRun({ node: samples }), defaultAnalysisConfig()))).toEqual([]);
  });
});
