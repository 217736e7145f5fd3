import { describe, expect, it } from 'vitest';
import { eventLoopBlocked } from '../../src/analyze/detectors/event-loop-blocked.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import { makeRun, nodeSample, T0, ticks, judged } from './run-builder.js';

const config = defaultAnalysisConfig();
const loop = (max: number, p99 = Math.min(max, 10)) => ({ min: 0.01, mean: 2, p50: 1, p99, max, utilization: 0.5 });

describe('event-loop-blocked detector', () => {
  it('flags intervals with a long stall, with the first, the count and the worst', () => {
    const stalls: Record<number, number> = { 12: 210, 20: 450, 31: 130 };
    const samples = ticks(0, 40).map((t) => nodeSample(t, { eventLoop: loop(stalls[(t - T0) / 1000] ?? 9) }));
    const [finding, ...rest] = eventLoopBlocked.detect(judged(makeRun({ node: samples }), config));
    expect(rest).toEqual([]);
    expect(finding?.at).toBe(T0 + 12_000);
    expect(finding?.evidence).toMatchObject({ intervalsBlocked: 3, firstAt: T0 + 12_000, worstAt: T0 + 20_000, worstMaxMs: 450, maxThresholdMs: 100 });
    expect((finding?.evidence.intervals as { t: number }[]).map((interval) => interval.t)).toEqual([T0 + 12_000, T0 + 20_000, T0 + 31_000]);
    expect(finding?.evidence.summary).toMatch(/3 intervals of 38/);
  });

  it('flags a loop whose p99 stays high even when no single stall reaches the max threshold', () => {
    const samples = ticks(0, 20).map((t) => nodeSample(t, { eventLoop: loop(90, 70) }));
    const [finding] = eventLoopBlocked.detect(judged(makeRun({ node: samples }), config));
    expect(finding?.evidence.intervalsBlocked).toBe(18);
  });

  it('ignores module loading in the first seconds of each process and before the service was ready', () => {
    const samples = ticks(1, 30).map((t) => nodeSample(t, { eventLoop: loop(t - T0 <= 5000 ? 900 : 9) }));
    const run = makeRun({ node: samples, events: [{ t: T0 + 5000, type: 'service-ready', service: 'target', afterMs: 4000 }] });
    expect(eventLoopBlocked.detect(judged(run, config))).toEqual([]);
  });

  it('ignores a stall the process slept through: the host paused it, its own code did not block', () => {
    const idle = (max: number) => ({ min: 0.01, mean: 1, p50: 1, p99: max, max, utilization: 0.003 });
    const samples = ticks(0, 30).map((t) => nodeSample(t, { eventLoop: idle(t === T0 + 15_000 ? 304 : 10) }));
    expect(eventLoopBlocked.detect(judged(makeRun({ node: samples }), config))).toEqual([]);
    // The same stall in a process busy for 250 ms of it is a block.
    const busy = samples.map((sample) => (sample.t === T0 + 15_000 ? { ...sample, eventLoop: { ...sample.eventLoop, utilization: 0.25 } } : sample));
    const [finding] = eventLoopBlocked.detect(judged(makeRun({ node: busy }), config));
    expect(finding?.evidence).toMatchObject({ intervalsBlocked: 1, hostPausesIgnored: 0, worstMaxMs: 304 });
  });

  it('stays quiet for a healthy loop and honours a budget set higher than the default', () => {
    const samples = ticks(0, 30).map((t) => nodeSample(t, { eventLoop: loop((t - T0) % 7000 === 0 ? 150 : 12) }));
    expect(eventLoopBlocked.detect(judged(makeRun({ node: samples }), { ...config, eventLoopMaxMs: 200 }))).toEqual([]);
    expect(eventLoopBlocked.detect(judged(makeRun({ node: samples }), config))).toHaveLength(1);
  });
});
