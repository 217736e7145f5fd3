import { describe, expect, it } from 'vitest';
import { handleLeak } from '../../src/analyze/detectors/handle-leak.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { RunEvent } from '../../src/store/records.js';
import { judged, loadInterval, makeRun, nodeSample, random, T0, ticks } from './run-builder.js';

const config = defaultAnalysisConfig();

/** Sockets come and go with the load: 5 to 25 open at any sample, no trend. */
function busySockets(seed: number): () => number {
  const next = random(seed);
  return () => 5 + Math.floor(next() * 20);
}

describe('handle-leak detector', () => {
  it('flags timers created per request and never cleared, naming the Timeout type', () => {
    const sockets = busySockets(1);
    const samples = ticks(0, 60).map((t) => nodeSample(t, { handles: { TCPServerWrap: 1, TCPSocketWrap: sockets(), Timeout: 2 + Math.floor(((t - T0) / 1000) * 5) } }));
    const [finding, ...rest] = handleLeak.detect(judged(makeRun({ node: samples }), config));
    expect(rest).toEqual([]);
    expect(finding?.kind).toBe('handle-leak');
    expect(finding?.evidence.type).toBe('Timeout');
    expect(finding?.title).toMatch(/^Timeout handles of target grow 300\/min/);
    expect(finding?.evidence.perHour).toBeCloseTo(18_000, -2);
    expect(finding?.evidence.summary).toMatch(/Timeout/);
    expect(finding?.at).toBeGreaterThan(T0 + 10_000);
  });

  it('does not flag sockets that come and go with the load', () => {
    const sockets = busySockets(2);
    const samples = ticks(0, 120).map((t) => nodeSample(t, { handles: { TCPServerWrap: 1, TCPSocketWrap: sockets(), Timeout: 3 } }));
    expect(handleLeak.detect(judged(makeRun({ node: samples, durationMs: 120_000 }), config))).toEqual([]);
  });

  it('does not flag a pool that opens its 20 connections over the first 30 s and keeps them', () => {
    const samples = ticks(0, 120).map((t) => nodeSample(t, { handles: { TCPServerWrap: 1, TCPSocketWrap: Math.min(20, Math.floor((t - T0) / 1500)) } }));
    expect(handleLeak.detect(judged(makeRun({ node: samples, durationMs: 120_000 }), { ...config, warmupMs: 0 }))).toEqual([]);
  });

  it('names the fastest-growing type when the growth is spread over several', () => {
    const samples = ticks(0, 60).map((t) => {
      const s = (t - T0) / 1000;
      return nodeSample(t, { handles: { TCPSocketWrap: 5 + Math.floor(s), FSReqCallback: Math.floor(s / 3) } });
    });
    const [finding] = handleLeak.detect(judged(makeRun({ node: samples }), config));
    expect(finding?.evidence.type).toBe('TCPSocketWrap');
    expect((finding?.evidence.growing as { type: string }[]).map((entry) => entry.type)).toEqual(['total', 'TCPSocketWrap', 'FSReqCallback']);
    expect(finding?.evidence.summary).toMatch(/FSReqCallback grew too/);
  });

  it('does not take sockets that drop while a dependency is paused and come back for a leak', () => {
    // As a fixed target behind a frozen database: 42 handles, 3 during the 8-s pause (the warm-up ends in it),
    // then 25 rising to 32 as its pools and the load's connections come back: soak's tree took it for 25.7/min.
    const next = random(3);
    const fault: RunEvent[] = [
      { t: T0 + 7_000, type: 'fault-start', fault: 'freeze-db', kind: 'pause', target: 'postgres' },
      { t: T0 + 15_000, type: 'fault-end', fault: 'freeze-db', kind: 'pause', target: 'postgres' },
    ];
    const samples = ticks(0, 35, 0.5).map((t) => {
      const s = (t - T0) / 1000;
      const sockets = s < 7 ? 40 : s < 15 ? 1 : 25 + Math.round(((s - 15) / 20) * 7) + Math.floor(next() * 2);
      return nodeSample(t, { handles: { TCPServerWrap: 1, TCPSocketWrap: sockets, Timeout: 1 } });
    });
    const run = makeRun({ node: samples, events: fault, durationMs: 35_000, sampleIntervalMs: 500 });
    expect(handleLeak.detect(judged(run, config))).toEqual([]);
  });

  it('does not take a socket per WebSocket held, over a ramp of connections, for a leak', () => {
    const open = (s: number) => Math.round(10 + 1490 * Math.min(1, s / 192));
    const load = ticks(1, 240).map((t) => loadInterval(t, { stream: 'ws', driver: 'ws', ws: { open: open((t - T0) / 1000), opened: 8, closed: 0, connectP99: 3 } }));
    const samples = ticks(0, 240).map((t) => nodeSample(t, { handles: { TCPServerWrap: 1, TCPSocketWrap: open((t - T0) / 1000), Timeout: 2 } }));
    const findings = handleLeak.detect(judged(makeRun({ node: samples, load, durationMs: 240_000 }), config));
    expect(findings.filter((finding) => finding.severity === 'fail')).toEqual([]);
    expect(findings[0]).toMatchObject({ kind: 'handles-with-load', severity: 'info', evidence: { loadUnit: 'WebSocket held' } });
    expect(findings[0]!.evidence.perLoadUnit).toBeCloseTo(1, 1);
  });

  it('still flags timers leaking during the same ramp', () => {
    const open = (s: number) => Math.round(10 + 1490 * Math.min(1, s / 192));
    const load = ticks(1, 240).map((t) => loadInterval(t, { stream: 'ws', driver: 'ws', ws: { open: open((t - T0) / 1000), opened: 8, closed: 0, connectP99: 3 } }));
    const samples = ticks(0, 240).map((t) => {
      const s = (t - T0) / 1000;
      return nodeSample(t, { handles: { TCPServerWrap: 1, TCPSocketWrap: open(s), Timeout: 2 + Math.floor(s / 4) } });
    });
    const [finding] = handleLeak.detect(judged(makeRun({ node: samples, load, durationMs: 240_000 }), config));
    expect(finding).toMatchObject({ kind: 'handle-leak', evidence: { type: 'Timeout' } });
    expect(finding!.evidence.perHour).toBeGreaterThan(800);
    expect(finding!.evidence.perHour).toBeLessThan(1000);
  });
});
