import { describe, expect, it } from 'vitest';
import { decodeSlots, LatencyCounts } from '../../src/core/hdr.js';
import { LoadBuckets, MAX_LOAD_BUCKETS, mergeBuckets } from '../../src/analyze/facts/buckets.js';
import { Series } from '../../src/analyze/facts/series.js';
import { judgeRun } from '../../src/analyze/index.js';
import type { RunEvent } from '../../src/store/records.js';
import { encodeLatencies, judged, loadInterval, makeRun, nodeSample, T0 } from './run-builder.js';

describe('series', () => {
  it('keeps every sample until full, then merges neighbours pairwise: bounded, with the true extremes and mean', () => {
    const series = new Series(8);
    for (let i = 0; i < 8; i += 1) series.add(i * 1000, i);
    expect(series.points().map((point) => point.y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (let i = 8; i < 100; i += 1) series.add(i * 1000, i === 50 ? 999 : i);
    const entries = [...series.entries()];
    expect(entries.length).toBeLessThanOrEqual(8);
    expect(series.high).toBe(999);
    expect(Math.max(...entries.map((entry) => entry.max))).toBe(999);
    expect(entries.reduce((sum, entry) => sum + entry.n, 0)).toBe(100);
    expect(series.points('min')[0]!.y).toBe(0);
  });
});

describe('load buckets', () => {
  it('stay within their bound past the plan, merging histograms exactly', () => {
    const buckets = new LoadBuckets(T0, 1000);
    const hdr = encodeLatencies([5, 10, 20]);
    for (let second = 1; second <= 3 * MAX_LOAD_BUCKETS; second += 1) buckets.add(loadInterval(T0 + second * 1000, { hdr }), decodeSlots(hdr));
    const all = buckets.all();
    expect(all.length).toBeLessThanOrEqual(MAX_LOAD_BUCKETS + 1);
    expect(buckets.width).toBe(4000);
    const completed = all.reduce((sum, bucket) => sum + bucket.completed, 0);
    expect(completed).toBe(3 * MAX_LOAD_BUCKETS * 100);
    const latency = new LatencyCounts();
    for (const bucket of all) latency.add(decodeSlots(bucket.hdr));
    expect(latency.total).toBe(3 * MAX_LOAD_BUCKETS * 3);
    expect(mergeBuckets(all[0]!, all[1]!).latency.count).toBe(all[0]!.latency.count + all[1]!.latency.count);
  });
});

describe('run facts', () => {
  it('hold a long run in bounded memory: a day of 1-s records keeps at most the bounded series and buckets', () => {
    const seconds = 24 * 3600;
    const hdr = encodeLatencies([5, 6, 7]);
    const node = Array.from({ length: seconds }, (_, i) => nodeSample(T0 + (i + 1) * 1000));
    const load = Array.from({ length: seconds }, (_, i) => loadInterval(T0 + (i + 1) * 1000, { hdr }));
    const facts = judged(makeRun({ node, load, durationMs: seconds * 1000 }));
    const service = facts.services.get('target')!;
    expect([...service.heapUsed.entries()].length).toBeLessThanOrEqual(2048);
    expect([...service.nodeProcesses.get(100)!.heapUsed.entries()].length).toBeLessThanOrEqual(4096);
    const cell = [...facts.load.cells.values()][0]!;
    expect(cell.buckets.all().length).toBeLessThanOrEqual(MAX_LOAD_BUCKETS + 1);
    expect(cell.tally.sent).toBe(seconds * 100);
    expect(cell.tally.summary().count).toBe(seconds * 3);
  });
});

describe('verdict', () => {
  const fail = { kind: 'x', severity: 'fail' as const, title: 't', evidence: { summary: 's' } };
  const broken = { budget: 'p99', scope: 'all streams', window: 'whole run', limit: 1, unit: 'ms', measured: 2, passed: false, kind: 'latency-budget', method: 'm' };
  const phase: RunEvent = { t: T0, type: 'phase-start', stream: 'http', phase: 'steady', kind: 'steady', durationMs: 60_000 };
  const ended = (reason: 'completed' | 'error' | 'interrupted'): RunEvent => ({ t: T0 + 60_000, type: 'run-end', reason });
  const factsOfRun = (events: RunEvent[], load = [loadInterval(T0 + 1000)]) => judged(makeRun({ load, events: [phase, ...events] }));

  it('fails on a failing finding, a broken budget or a run that ended in error, and passes otherwise', () => {
    const completed = factsOfRun([ended('completed')]);
    expect(judgeRun(completed, { findings: [] }).verdict).toBe('pass');
    expect(judgeRun(completed, { findings: [fail] }).verdict).toBe('fail');
    expect(judgeRun(factsOfRun([ended('error')]), { findings: [] }).verdict).toBe('fail');
    expect(judgeRun(completed, { findings: [], budgets: [broken] }).verdict).toBe('fail');
  });

  it('calls a run cut short incomplete unless asked to judge it on what it gathered, and never passes a run where nothing got through', () => {
    const killed = factsOfRun([]);
    expect(judgeRun(killed, { findings: [] })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'killed' } });
    expect(judgeRun(killed, { findings: [], allowPartial: true })).toMatchObject({ verdict: 'pass', incomplete: { reason: 'killed' } });
    expect(judgeRun(factsOfRun([ended('interrupted')]), { findings: [fail], allowPartial: true }).verdict).toBe('fail');
    const nothing = factsOfRun([ended('completed')], [loadInterval(T0 + 1000, { completed: 0, outcomes: {} })]);
    expect(judgeRun(nothing, { findings: [] })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'no-requests' } });
    const neverReady = judged(makeRun({}));
    expect(judgeRun(neverReady, { findings: [], allowPartial: true })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'never-ready' } });
  });
});
