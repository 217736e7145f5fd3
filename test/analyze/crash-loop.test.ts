import { describe, expect, it } from 'vitest';
import { crashLoop } from '../../src/analyze/detectors/crash-loop.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { RunEvent } from '../../src/store/records.js';
import { makeRun, nodeSample, T0, ticks } from './run-builder.js';

const exit = (t: number, pid: number): RunEvent => ({ t, type: 'service-exit', service: 'target', pid, code: 1, signal: null, expected: false, stderrTail: ['Error: boom'] });

describe('crash-loop detector', () => {
  it('flags three unexpected exits within a few minutes, with the restart rate', () => {
    const events = [exit(T0 + 10_000, 1), exit(T0 + 40_000, 2), exit(T0 + 70_000, 3), exit(T0 + 100_000, 4)];
    const [finding, ...rest] = crashLoop.detect(makeRun({ events, durationMs: 120_000 }), defaultAnalysisConfig());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'crash-loop', service: 'target', at: T0 + 70_000 });
    expect(finding?.evidence).toMatchObject({ exitsInWindow: 4, restartsPerMinute: 2, meanUptimeMs: 30_000, windowStart: T0 + 10_000, windowEnd: T0 + 100_000 });
  });

  it('does not call two crashes, or three spread over a long soak, a loop', () => {
    const config = defaultAnalysisConfig();
    expect(crashLoop.detect(makeRun({ events: [exit(T0 + 10_000, 1), exit(T0 + 20_000, 2)] }), config)).toEqual([]);
    const spread = [exit(T0 + 1_000_000, 1), exit(T0 + 2_000_000, 2), exit(T0 + 3_000_000, 3)];
    expect(crashLoop.detect(makeRun({ events: spread, durationMs: 3_600_000 }), config)).toEqual([]);
  });

  it('sees a supervisor soak cannot see restarting the process: successive pids in the probe samples', () => {
    const samples = [100, 101, 102, 103].flatMap((pid, index) => ticks(index * 8, index * 8 + 6).map((t) => nodeSample(t, { pid })));
    const [finding] = crashLoop.detect(makeRun({ node: samples, durationMs: 40_000 }), defaultAnalysisConfig());
    expect(finding?.evidence.exitsInWindow).toBe(3);
    expect(finding?.evidence.summary).toMatch(/3 of them were seen as its process being replaced/);
  });

  it('does not count short-lived children beside a long-lived parent as restarts', () => {
    const parent = ticks(0, 60).map((t) => nodeSample(t, { pid: 100 }));
    const children = [200, 201, 202, 203].flatMap((pid, index) => ticks(index * 10 + 5, index * 10 + 8).map((t) => nodeSample(t, { pid })));
    expect(crashLoop.detect(makeRun({ node: [...parent, ...children].sort((a, b) => a.t - b.t) }), defaultAnalysisConfig())).toEqual([]);
  });
});
