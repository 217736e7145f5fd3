import { describe, expect, it } from 'vitest';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import { memoryLeak } from '../../src/analyze/detectors/memory-leak.js';
import type { AnalysisConfig } from '../../src/analyze/types.js';
import type { LoadInterval, NodeProbeSample } from '../../src/store/records.js';
import { gaussian, judged, loadInterval, makeRun, MB, nodeSample, osSample, T0, ticks } from './run-builder.js';

interface HeapShape {
  /** Live heap (what survives a major GC) s seconds into the run, bytes. */
  live: (s: number) => number;
  durationS: number;
  /** Garbage piling up between major GCs: the sawtooth. */
  garbageMBPerS?: number;
  /** A major GC every this many seconds; Infinity for none. */
  gcEveryS?: number;
  noiseMB?: number;
  pid?: number;
  fromS?: number;
  seed?: number;
}

/** 1 Hz samples of a heap whose floor follows `live`, with a GC sawtooth and noise on top. */
function heapSamples(shape: HeapShape): NodeProbeSample[] {
  const noise = gaussian(shape.seed ?? 1, (shape.noiseMB ?? 0.3) * MB);
  const gcEvery = shape.gcEveryS ?? 5;
  const garbage = (shape.garbageMBPerS ?? 1) * MB;
  return ticks(shape.fromS ?? 0, shape.durationS).map((t) => {
    const s = (t - T0) / 1000;
    const sinceGc = Number.isFinite(gcEvery) ? s % gcEvery : s;
    const collected = Number.isFinite(gcEvery) && sinceGc < 1 && s > 0;
    const live = shape.live(s);
    const sample = nodeSample(t, {
      pid: shape.pid ?? 100,
      memory: { heapUsed: live + garbage * sinceGc + noise(), heapTotal: live * 2, rss: live * 3, external: MB, arrayBuffers: 0 },
      heapLimit: 2048 * MB,
      gc: collected ? { major: { count: 1, pauseMs: 4 } } : {},
    });
    return collected ? { ...sample, postGcHeap: live + noise() * 0.3 } : sample;
  });
}

const config = (overrides: Partial<AnalysisConfig> = {}): AnalysisConfig => ({ ...defaultAnalysisConfig(), ...overrides });
const detect = (samples: NodeProbeSample[], overrides: Partial<AnalysisConfig> = {}, durationMs = 60_000) =>
  memoryLeak.detect(judged(makeRun({ node: samples, durationMs }), config(overrides)));

describe('memory-leak detector', () => {
  it('flags a steady 10 MB/min leak under a GC sawtooth within 60 s, with its rate, fitted line and time to the heap limit', () => {
    const samples = heapSamples({ live: (s) => 30 * MB + (10 * MB * s) / 60, durationS: 60 });
    const [finding, ...rest] = detect(samples);
    expect(rest).toEqual([]);
    expect(finding?.kind).toBe('memory-leak');
    expect(finding?.severity).toBe('fail');
    const evidence = finding!.evidence as Record<string, number & Record<string, number>>;
    expect(evidence.series).toBe('heap after major GC');
    // 10 MB/min is 600 MB/h; the confidence interval must contain it.
    expect(evidence.slopeMBPerHour).toBeGreaterThan(540);
    expect(evidence.slopeMBPerHour).toBeLessThan(660);
    expect(evidence.slopeLowMBPerHour).toBeLessThanOrEqual(600);
    expect(evidence.slopeHighMBPerHour).toBeGreaterThanOrEqual(600);
    expect(evidence.p).toBeLessThan(0.01);
    // The fitted line reaches the 2048 MB limit about (2048 - 40) / 600 h after the end.
    expect(evidence.hoursToLimit).toBeGreaterThan(3);
    expect(evidence.hoursToLimit).toBeLessThan(3.7);
    const trend = evidence.trend as unknown as { t0: number; y0: number; slopePerMs: number };
    expect(Math.abs(trend.slopePerMs * 60_000 - 10 * MB)).toBeLessThan(0.05 * 10 * MB);
    expect(Math.abs(trend.y0 + trend.slopePerMs * (T0 + 30_000 - trend.t0) - 35 * MB)).toBeLessThan(0.5 * MB);
    expect(finding!.at).toBeGreaterThan(T0 + 10_000);
    expect(finding!.at).toBeLessThanOrEqual(T0 + 60_000);
    expect(finding!.evidence.summary).toMatch(/MB\/h/);
  });

  it('confirms a leak on the heapUsed floor when only a few major GCs ran, and says so', () => {
    const samples = heapSamples({ live: (s) => 30 * MB + (10 * MB * s) / 60, durationS: 60, gcEveryS: 15, garbageMBPerS: 0.3 });
    const [finding] = detect(samples);
    expect(finding?.evidence.series).toBe('heapUsed floor (minimum per bucket)');
    // Major GCs at 15, 30, 45 and 60 s, after the 10 s warm-up.
    expect(finding?.evidence.postGcReadings).toBe(4);
    expect(finding?.evidence.summary).toMatch(/after 4 major GCs rise as well/);
  });

  it('confirms a fast-growing young heap from a single major GC that kept the growth', () => {
    const samples = heapSamples({ live: (s) => 10 * MB + 3 * MB * s, durationS: 30, gcEveryS: 20, garbageMBPerS: 0.5 });
    const [finding] = detect(samples, { warmupMs: 5000 }, 30_000);
    expect(finding?.evidence.postGcReadings).toBe(1);
    expect(finding?.evidence.series).toBe('heapUsed floor (minimum per bucket)');
  });

  it('does not take a single major GC that threw the growth away as confirmation', () => {
    // Garbage piles up for 20 s, one full collection takes the heap back to 10 MB, and it piles up again.
    const samples = heapSamples({ live: () => 10 * MB, durationS: 30, gcEveryS: 20, garbageMBPerS: 3 });
    expect(detect(samples, { warmupMs: 5000 }, 30_000)).toEqual([]);
  });

  it('does not flag a garbage-heavy sawtooth heap with no trend', () => {
    const samples = heapSamples({ live: () => 40 * MB, durationS: 60, garbageMBPerS: 4, gcEveryS: 3, noiseMB: 0.5 });
    expect(detect(samples)).toEqual([]);
  });

  it('does not flag a cache that fills over 20 s and then stays flat for 60 s, even with no warm-up', () => {
    const samples = heapSamples({ live: (s) => 30 * MB + (Math.min(s, 20) / 20) * 40 * MB, durationS: 80 });
    expect(detect(samples, { warmupMs: 0 }, 80_000)).toEqual([]);
  });

  it('does not flag a heap that only rose between major GCs (none ran: the growth is unproven garbage)', () => {
    const samples = heapSamples({ live: (s) => 20 * MB + 0.05 * MB * s, durationS: 60, gcEveryS: Infinity, garbageMBPerS: 0 });
    expect(detect(samples)).toEqual([]);
  });

  it('does not flag growth below the 1 MB minimum rise, however significant', () => {
    const samples = heapSamples({ live: (s) => 30 * MB + 0.01 * MB * s, durationS: 60, noiseMB: 0.01, garbageMBPerS: 0.1 });
    expect(detect(samples)).toEqual([]);
  });

  it('reports slow growth over a set heap budget that is below the leak threshold, and only then', () => {
    // Two hours at 1 Hz, 3 MB/h: under the 5 MB/h leak threshold.
    const samples = heapSamples({ live: (s) => 100 * MB + (3 * MB * s) / 3600, durationS: 7200, gcEveryS: 20, garbageMBPerS: 0.2, noiseMB: 0.2 });
    expect(detect(samples, {}, 7_200_000)).toEqual([]);
    const [finding] = detect(samples, { heapGrowthMBPerHour: 2 }, 7_200_000);
    expect(finding?.kind).toBe('memory-leak');
    expect(finding?.evidence.budgetMBPerHour).toBe(2);
    expect(finding?.evidence.summary).toMatch(/growth budget/);
    expect(finding?.evidence.slopeMBPerHour).toBeGreaterThan(2.5);
    expect(finding?.evidence.slopeMBPerHour).toBeLessThan(3.5);
    expect((finding?.evidence.values as unknown[]).length).toBeLessThanOrEqual(600);
  });

  it('judges each process on its own: a restarted process that leaks is named by its pid', () => {
    const before = heapSamples({ live: () => 30 * MB, durationS: 40, pid: 100 });
    const after = heapSamples({ live: (s) => 30 * MB + 0.3 * MB * (s - 41), durationS: 120, fromS: 41, pid: 200, seed: 2 });
    const [finding] = detect([...before, ...after], {}, 120_000);
    expect(finding?.evidence.pid).toBe(200);
  });

  it('flags growing RSS of a service sampled only from the OS, projected against total memory', () => {
    const noise = gaussian(3, 0.5 * MB);
    const samples = ticks(0, 120).map((t) => osSample(t, { rss: 100 * MB + ((t - T0) / 1000) * 0.2 * MB + noise() }));
    const [finding] = memoryLeak.detect(judged(makeRun({ os: samples, durationMs: 120_000 }), config()));
    expect(finding?.title).toMatch(/^Memory of target grows/);
    expect(finding?.evidence.limitName).toBe('total memory');
    expect(finding?.evidence.slopeMBPerHour).toBeGreaterThan(600);
  });

  it('does not flag the RSS of a database whose cache fills by two megabytes in a short run, however steady the rise', () => {
    const samples = ticks(0, 25).map((t) => osSample(t, { rss: 177 * MB + ((t - T0) / 1000) * 0.15 * MB }));
    expect(memoryLeak.detect(judged(makeRun({ os: samples, durationMs: 25_000 }), config({ warmupMs: 10_000 })))).toEqual([]);
  });

  // PostgreSQL forks a backend per connection: its tree's RSS steps up by each one's memory as a pool opens
  // connections, and is flat between the steps (a few pages come and go).
  const forkingTree = (seconds: number, forkAt: number[], growthMBPerS: number) =>
    ticks(0, seconds).map((t) => {
      const s = (t - T0) / 1000;
      const children = 9 + forkAt.filter((at) => s >= at).length;
      return osSample(t, { service: 'postgres', children, rss: 122 * MB + (children - 9) * 17 * MB + s * growthMBPerS * MB + (s % 3) * 4096 });
    });

  it('does not take the memory of a process the database forked for a new connection for a leak', () => {
    // The last 8 s of a short run: one more backend half way through, too late for the window to show it stopped.
    const run = makeRun({ os: forkingTree(25, [21], 0), durationMs: 25_000 });
    expect(memoryLeak.detect(judged(run, config({ warmupMs: 17_000 })))).toEqual([]);
  });

  it('still flags a process tree whose memory grows between its forks, at the rate between them', () => {
    const [finding] = memoryLeak.detect(judged(makeRun({ os: forkingTree(60, [15, 30, 45], 0.5), durationMs: 60_000 }), config({ warmupMs: 10_000 })));
    expect(finding).toMatchObject({ kind: 'memory-leak', severity: 'fail', service: 'postgres' });
    expect(finding!.evidence.slopeMBPerHour).toBeGreaterThan(1500);
    expect(finding!.evidence.slopeMBPerHour).toBeLessThan(2100);
  });

  it('says nothing without samples or with too few of them', () => {
    expect(memoryLeak.detect(judged(makeRun({}), config()))).toEqual([]);
    expect(detect(heapSamples({ live: (s) => 30 * MB + MB * s, durationS: 14 }))).toEqual([]);
  });
});

interface ProcessShape {
  durationS: number;
  heap: (s: number) => number;
  external?: (s: number) => number;
  /** Resident memory besides the heap's committed size and external memory. */
  native?: (s: number) => number;
  gcEveryS?: number;
  seed?: number;
}

/** 1 Hz samples of a Node process whose heap, external and native memory follow the shape, with a major GC (and its readings) every few seconds. */
function processSamples(shape: ProcessShape): NodeProbeSample[] {
  const noise = gaussian(shape.seed ?? 21, 0.1 * MB);
  const gcEvery = shape.gcEveryS ?? 2;
  return ticks(0, shape.durationS).map((t) => {
    const s = (t - T0) / 1000;
    const heap = shape.heap(s) + noise();
    const external = (shape.external ?? (() => 2 * MB))(s);
    const heapTotal = heap * 1.3;
    const rss = heapTotal + external + (shape.native ?? (() => 40 * MB))(s) + noise();
    const sample = nodeSample(t, { memory: { heapUsed: heap + MB, heapTotal, rss, external, arrayBuffers: external * 0.9 }, heapLimit: 4096 * MB });
    return s % gcEvery === 0 ? { ...sample, postGcHeap: heap, postGcExternal: external } : sample;
  });
}

const KB = 1024;
/** Closed-model connections 5 -> 200 over 80 % of the run, then held, as load intervals of one stream. */
function rampIntervals(durationS: number): LoadInterval[] {
  return ticks(1, durationS).map((t) => {
    const s = (t - T0) / 1000;
    return loadInterval(t, { connections: Math.round(5 + 195 * Math.min(1, s / (0.8 * durationS))), inflight: 3 });
  });
}
const connectionsAt = (s: number, durationS: number) => Math.round(5 + 195 * Math.min(1, s / (0.8 * durationS)));

describe('memory-leak detector: which memory grows, and against what the load holds', () => {
  it('names a Buffer leak as off-heap memory, at its rate, with the time until the RSS reaches the machine memory', () => {
    // 16 KiB kept per request at 200 req/s: 11,250 MB/h off the heap; the heap holds only the ~100-byte wrappers.
    const perS = (16 * KB * 200) / MB;
    const samples = processSamples({ durationS: 60, heap: (s) => 8 * MB + s * 200 * 100, external: (s) => 30 * MB + s * perS * MB });
    const [finding, ...rest] = detect(samples);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'memory-leak', severity: 'fail', title: expect.stringMatching(/^Off-heap memory of target grows/) });
    const evidence = finding!.evidence as unknown as { memory: string; slopeMBPerHour: number } & Record<string, unknown>;
    expect(evidence.memory).toBe('off-heap');
    expect(evidence.slopeMBPerHour).toBeGreaterThan(0.98 * perS * 3600);
    expect(evidence.slopeMBPerHour).toBeLessThan(1.02 * perS * 3600);
    expect(evidence.summary).toMatch(/Buffers and other ArrayBuffer backing stores outside the JS heap/);
    // 8 GB of machine memory (testMeta), reached by the RSS at the end of the run at the off-heap rate.
    const rssAtEnd = samples[samples.length - 1]!.memory.rss;
    const hours = (8192 * MB - rssAtEnd) / (perS * MB * 3600);
    expect(evidence.limitName).toBe('total memory');
    expect(evidence.hoursToLimit).toBeGreaterThan(0.95 * hours);
    expect(evidence.hoursToLimit).toBeLessThan(1.05 * hours);
  });

  it('names native memory when the RSS grows beyond the heap and external memory', () => {
    const samples = processSamples({ durationS: 120, heap: () => 20 * MB, native: (s) => 40 * MB + s * 0.1 * MB });
    const [finding] = detect(samples, {}, 120_000);
    expect(finding?.title).toMatch(/^Native memory of target grows/);
    expect(finding?.evidence.memory).toBe('native');
    expect(finding?.evidence.slopeMBPerHour).toBeGreaterThan(330);
    expect(finding?.evidence.slopeMBPerHour).toBeLessThan(390);
  });

  it("takes a short run's few MB of native warm-up for no leak", () => {
    // A few MB in 25 s, as a healthy WebSocket server's native memory rose (4.5 MB) while its allocator arenas filled.
    const samples = processSamples({ durationS: 25, heap: () => 20 * MB, native: (s) => 43 * MB + s * 0.3 * MB });
    expect(detect(samples, {}, 25_000)).toEqual([]);
  });

  it('reports a heap that follows a ramp of connections as growth with the load, not a leak', () => {
    const samples = processSamples({ durationS: 240, heap: (s) => 30 * MB + 64 * KB * connectionsAt(s, 240) });
    const findings = memoryLeak.detect(judged(makeRun({ node: samples, load: rampIntervals(240), durationMs: 240_000 }), config()));
    expect(findings.filter((finding) => finding.severity === 'fail')).toEqual([]);
    const [withLoad] = findings;
    expect(withLoad).toMatchObject({ kind: 'memory-with-load', severity: 'info', evidence: { memory: 'heap', loadUnit: 'connection held' } });
    expect(withLoad!.evidence.perUnitKB).toBeGreaterThan(58);
    expect(withLoad!.evidence.perUnitKB).toBeLessThan(70);
  });

  it('flags a 100 MB/h heap leak during the same ramp, at its own rate', () => {
    const samples = processSamples({ durationS: 240, heap: (s) => 30 * MB + 64 * KB * connectionsAt(s, 240) + (100 * MB * s) / 3600 });
    const [finding] = memoryLeak.detect(judged(makeRun({ node: samples, load: rampIntervals(240), durationMs: 240_000 }), config()));
    expect(finding).toMatchObject({ kind: 'memory-leak', severity: 'fail', evidence: { memory: 'heap' } });
    expect(finding!.evidence.slopeMBPerHour).toBeGreaterThan(80);
    expect(finding!.evidence.slopeMBPerHour).toBeLessThan(120);
    expect(finding!.evidence.perUnitKB).toBeGreaterThan(50);
  });

  it('does not flag a cache that fills for 80 % of the run and then stays flat', () => {
    const samples = processSamples({ durationS: 150, heap: (s) => 20 * MB + (Math.min(s, 120) * 300 * MB) / 3600 });
    expect(detect(samples, {}, 150_000).filter((finding) => finding.severity === 'fail')).toEqual([]);
  });
});
