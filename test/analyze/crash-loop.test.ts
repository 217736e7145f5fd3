import { describe, expect, it } from 'vitest';
import { crashLoop } from '../../src/analyze/detectors/crash-loop.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { RunEvent } from '../../src/store/records.js';
import { makeRun, nodeSample, T0, ticks, judged } from './run-builder.js';

const exit = (t: number, pid: number): RunEvent => ({ t, type: 'service-exit', service: 'target', pid, code: 1, signal: null, expected: false, stderrTail: ['Error: boom'] });

const childExit = (t: number, pid: number, code = 1): RunEvent => ({ t, type: 'child-exit', service: 'target', pid, ppid: 10, code, uptimeMs: 2000, script: 'worker.js' });

describe('crash-loop detector', () => {
  it('flags a supervisor that keeps restarting a crashing child until the end of the run', () => {
    const events = [5, 8, 11, 14, 17].map((s, index) => childExit(T0 + s * 1000, 100 + index));
    const [finding] = crashLoop.detect(judged(makeRun({ events, durationMs: 20_000 }), defaultAnalysisConfig()));
    expect(finding).toMatchObject({ kind: 'crash-loop', service: 'target', evidence: { crashesInWindow: 5, exitCodes: [1], source: 'child exit records' } });
  });

  it('does not flag children that exited cleanly, nor a supervisor that gave up and exited', () => {
    const clean = [5, 8, 11, 14, 17].map((s, index) => childExit(T0 + s * 1000, 100 + index, 0));
    expect(crashLoop.detect(judged(makeRun({ events: clean, durationMs: 20_000 }), defaultAnalysisConfig()))).toEqual([]);
    const gaveUp = [...[1, 3, 7, 15].map((s, index) => childExit(T0 + s * 1000, 100 + index)), exit(T0 + 16_000, 10)];
    expect(crashLoop.detect(judged(makeRun({ events: gaveUp, durationMs: 30_000 }), defaultAnalysisConfig()))).toEqual([]);
  });

  it('does not flag crashes that stopped long before the end of the run', () => {
    const events = [5, 8, 11].map((s, index) => childExit(T0 + s * 1000, 100 + index));
    expect(crashLoop.detect(judged(makeRun({ events, durationMs: 300_000 }), defaultAnalysisConfig()))).toEqual([]);
  });

  it('flags three unexpected exits within a few minutes, with the restart rate', () => {
    const events = [exit(T0 + 10_000, 1), exit(T0 + 40_000, 2), exit(T0 + 70_000, 3), exit(T0 + 100_000, 4)];
    const [finding, ...rest] = crashLoop.detect(judged(makeRun({ events, durationMs: 120_000 }), defaultAnalysisConfig()));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'crash-loop', service: 'target', at: T0 + 70_000 });
    expect(finding?.evidence).toMatchObject({ exitsInWindow: 4, restartsPerMinute: 2, meanUptimeMs: 30_000, windowStart: T0 + 10_000, windowEnd: T0 + 100_000 });
  });

  it('does not call two crashes, or three spread over a long soak, a loop', () => {
    const config = defaultAnalysisConfig();
    expect(crashLoop.detect(judged(makeRun({ events: [exit(T0 + 10_000, 1), exit(T0 + 20_000, 2)] }), config))).toEqual([]);
    const spread = [exit(T0 + 1_000_000, 1), exit(T0 + 2_000_000, 2), exit(T0 + 3_000_000, 3)];
    expect(crashLoop.detect(judged(makeRun({ events: spread, durationMs: 3_600_000 }), config))).toEqual([]);
  });

  it('sees a supervisor soak cannot see restarting the process: successive pids in the probe samples', () => {
    const samples = [100, 101, 102, 103].flatMap((pid, index) => ticks(index * 8, index * 8 + 6).map((t) => nodeSample(t, { pid })));
    const [finding] = crashLoop.detect(judged(makeRun({ node: samples, durationMs: 40_000 }), defaultAnalysisConfig()));
    expect(finding?.evidence.exitsInWindow).toBe(3);
    expect(finding?.evidence.summary).toMatch(/3 of them were seen as its process being replaced/);
  });

  it('does not count short-lived children beside a long-lived parent as restarts', () => {
    const parent = ticks(0, 60).map((t) => nodeSample(t, { pid: 100 }));
    const children = [200, 201, 202, 203].flatMap((pid, index) => ticks(index * 10 + 5, index * 10 + 8).map((t) => nodeSample(t, { pid })));
    expect(crashLoop.detect(judged(makeRun({ node: [...parent, ...children].sort((a, b) => a.t - b.t) }), defaultAnalysisConfig()))).toEqual([]);
  });
});
