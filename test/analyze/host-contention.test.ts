import { describe, expect, it } from 'vitest';
import { eventLoopBlocked } from '../../src/analyze/detectors/event-loop-blocked.js';
import { gcPause } from '../../src/analyze/detectors/gc-pause.js';
import { hostContention } from '../../src/analyze/detectors/host-contention.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { LoadInterval, NodeProbeSample } from '../../src/store/records.js';
import { judged, loadInterval, makeRun, nodeSample, T0, ticks } from './run-builder.js';

const config = defaultAnalysisConfig();
const STALL_S = 20;

/** A 40-s run whose target stalls 1,500 ms (busy through it) at 20 s, using `cpuMs` of CPU then (25 ms usually) and collecting `gc`; soak's load thread is delayed `soakDelay` ms at `soakAtS`. */
function run(cpuMs: number, soakDelay: number, soakAtS = STALL_S, gc: NodeProbeSample['gc'] = {}, later: Record<number, number> = {}) {
  const busyStall = (max: number, cpu: number, extra: Partial<NodeProbeSample> = {}) => ({
    eventLoop: { min: 0.01, mean: 40, p50: 1, p99: max, max, utilization: 0.9 },
    cpu: { user: cpu * 0.8, system: cpu * 0.2 },
    ...extra,
  });
  const node = ticks(0, 40).map((t) => {
    const s = (t - T0) / 1000;
    if (s === STALL_S) return nodeSample(t, busyStall(1500, cpuMs, { gc }));
    return nodeSample(t, later[s] !== undefined ? busyStall(later[s], later[s]) : { cpu: { user: 20, system: 5 } });
  });
  const generator = (t: number): LoadInterval['generator'] => ({ threads: 1, utilization: 0.05, loopDelay: (t - T0) / 1000 === soakAtS ? { p99: soakDelay, max: soakDelay } : { p99: 3, max: 5 } });
  const load = ticks(1, 40).map((t) => loadInterval(t, { generator: generator(t) }));
  return judged(makeRun({ node, load, durationMs: 40_000 }), config);
}

describe('host-contention: stalls the machine caused, not the target', () => {
  it('calls a stall host-contention (warn) when soak\'s own load thread stalled with it while the target used little CPU', () => {
    const facts = run(30, 1400);
    expect(eventLoopBlocked.detect(facts)).toEqual([]);
    const [finding, ...rest] = hostContention.detect(facts);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'host-contention', severity: 'warn', at: T0 + STALL_S * 1000 });
    expect(finding?.evidence).toMatchObject({ stalls: 1, worstMaxMs: 1500, worstSoakDelayMs: 1400 });
  });

  it('takes a collection the machine stretched for the machine\'s doing too, not a gc-pause', () => {
    const facts = run(30, 1400, STALL_S, { major: { count: 1, pauseMs: 1300, maxPauseMs: 1300 } });
    expect(gcPause.detect(facts)).toEqual([]);
    expect(hostContention.detect(facts)[0]?.evidence).toMatchObject({ stalls: 1, worstMaxMs: 1500 });
    expect(gcPause.detect(run(30, 20, STALL_S, { major: { count: 1, pauseMs: 1300, maxPauseMs: 1300 } }))[0]).toMatchObject({ kind: 'gc-pause', severity: 'warn' });
  });

  it('takes the burst of work that queued up for the machine\'s doing, in the interval after only', () => {
    // At 21 s the target works off 1.5 s of queued requests: 200 ms busy; at 23 s its code blocks.
    const facts = run(30, 1400, STALL_S, {}, { 21: 200, 23: 300 });
    expect(hostContention.detect(facts)[0]?.evidence).toMatchObject({ stalls: 2 });
    expect(eventLoopBlocked.detect(facts)[0]?.evidence).toMatchObject({ intervalsBlocked: 1, worstAt: T0 + 23_000 });
  });

  it('keeps a stall event-loop-blocked when soak stayed on time, even with little CPU in the target (a synchronous child process)', () => {
    const facts = run(30, 20);
    expect(hostContention.detect(facts)).toEqual([]);
    expect(eventLoopBlocked.detect(facts)[0]).toMatchObject({ kind: 'event-loop-blocked', severity: 'fail' });
  });

  it('keeps a stall event-loop-blocked when the target burned CPU through it, whatever soak went through', () => {
    const facts = run(1400, 1400);
    expect(hostContention.detect(facts)).toEqual([]);
    expect(eventLoopBlocked.detect(facts)[0]).toMatchObject({ kind: 'event-loop-blocked', severity: 'fail' });
  });

  it('does not take a delay of soak at another moment for the stall\'s cause', () => {
    const facts = run(30, 1400, 32);
    expect(hostContention.detect(facts)).toEqual([]);
    expect(eventLoopBlocked.detect(facts)[0]).toMatchObject({ kind: 'event-loop-blocked', severity: 'fail' });
  });
});
