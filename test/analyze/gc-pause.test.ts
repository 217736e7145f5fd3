import { describe, expect, it } from 'vitest';
import { eventLoopBlocked } from '../../src/analyze/detectors/event-loop-blocked.js';
import { gcPause } from '../../src/analyze/detectors/gc-pause.js';
import { defaultAnalysisConfig } from '../../src/analyze/index.js';
import type { NodeProbeSample } from '../../src/store/records.js';
import { makeRun, MB, nodeSample, T0, ticks, judged, testMeta } from './run-builder.js';

const config = defaultAnalysisConfig();
const busy = (max: number) => ({ min: 0.01, mean: 2, p50: 1, p99: max, max, utilization: 0.6 });

/** A 60-s run of a process whose loop stalls at the given seconds, each stall with its own GC figures. */
function stalling(stalls: Record<number, { max: number; gc?: NodeProbeSample['gc'] }>): NodeProbeSample[] {
  return ticks(0, 60).map((t) => {
    const stall = stalls[(t - T0) / 1000];
    return nodeSample(t, stall ? { eventLoop: busy(stall.max), gc: stall.gc ?? {}, memory: { heapUsed: 420 * MB, heapTotal: 460 * MB, rss: 600 * MB, external: MB, arrayBuffers: 0 } } : {});
  });
}

const major = (pauseMs: number) => ({ major: { count: 1, pauseMs, maxPauseMs: pauseMs }, minor: { count: 4, pauseMs: 8, maxPauseMs: 3 } });

describe('gc-pause and the stall rule', () => {
  it('calls a stall a major GC explains gc-pause (warn, heap, kind, count, worst, share paused), not event-loop-blocked', () => {
    const facts = judged(makeRun({ node: stalling({ 30: { max: 430, gc: major(415) } }) }), config);
    expect(eventLoopBlocked.detect(facts)).toEqual([]);
    const [finding, ...rest] = gcPause.detect(facts);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'gc-pause', severity: 'warn', at: T0 + 30_000 });
    expect(finding!.evidence).toMatchObject({ stalls: 1, worstStallMs: 430, worstGcMs: 415, worstGcKind: 'major', heapUsedAtWorst: 420 * MB, budgetMs: null });
    expect(finding!.evidence.pausedShare).toBeGreaterThan(0.007);
    expect(finding!.title).toMatch(/major, 420 MB of heap in use/);
  });

  it('fails a GC stall over budgets.gcPause, or over an eventLoopMax the scenario set', () => {
    const node = stalling({ 30: { max: 430, gc: major(415) } });
    expect(gcPause.detect(judged(makeRun({ node }), { ...config, gcPauseMs: 300 }))[0]?.severity).toBe('fail');
    expect(gcPause.detect(judged(makeRun({ node }), { ...config, gcPauseMs: 500 }))[0]?.severity).toBe('warn');
    const run = makeRun({ node });
    const budgeted = { ...run, meta: testMeta({ ...run.meta, scenario: { budgets: { eventLoopMax: 200 } } }) };
    expect(gcPause.detect(judged(budgeted, { ...config, eventLoopMaxMs: 200 }))[0]?.severity).toBe('fail');
  });

  it('takes a collection late in the interval before the stall as its cause: the probe reads that delay one interval later', () => {
    const node = stalling({ 29: { max: 5, gc: major(415) }, 30: { max: 430 } });
    const facts = judged(makeRun({ node }), config);
    expect(eventLoopBlocked.detect(facts)).toEqual([]);
    expect(gcPause.detect(facts)[0]?.evidence).toMatchObject({ worstStallMs: 430, worstGcMs: 415, worstGcKind: 'major' });
  });

  it('keeps a stall of blocking code event-loop-blocked even with scavenges in its interval', () => {
    const facts = judged(makeRun({ node: stalling({ 30: { max: 300, gc: { minor: { count: 3, pauseMs: 9, maxPauseMs: 4 } } } }) }), config);
    expect(gcPause.detect(facts)).toEqual([]);
    expect(eventLoopBlocked.detect(facts)[0]?.evidence).toMatchObject({ worstMaxMs: 300 });
  });

  it('judges code stalls by length and frequency: one short stall warns, one of 1 s or repeated ones fail', () => {
    const severity = (stalls: Record<number, { max: number }>) => eventLoopBlocked.detect(judged(makeRun({ node: stalling(stalls) }), config))[0]?.severity;
    expect(severity({ 30: { max: 300 } })).toBe('warn');
    expect(severity({ 30: { max: 1200 } })).toBe('fail');
    expect(severity({ 10: { max: 150 }, 30: { max: 150 }, 50: { max: 150 } })).toBe('fail');
  });

  it('leaves the drain after the load plan out: stalls while soak closes its connections are not judged', () => {
    const events = [{ t: T0 + 1000, type: 'phase-start' as const, stream: 'ws', phase: 'hold', kind: 'steady', durationMs: 50_000 }];
    const facts = judged(makeRun({ node: stalling({ 55: { max: 430 } }), events }), config);
    expect(eventLoopBlocked.detect(facts)).toEqual([]);
    expect(facts.services.get('target')!.stalls.afterLoad).toBe(1);
    const during = judged(makeRun({ node: stalling({ 45: { max: 430 } }), events }), config);
    expect(eventLoopBlocked.detect(during)).toHaveLength(1);
  });
});
