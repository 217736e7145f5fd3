import { describe, expect, it } from 'vitest';
import { handleLeak } from '../../src/analyze/detectors/handle-leak.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import { makeRun, nodeSample, random, T0, ticks, judged } from './run-builder.js';

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
});
