import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, arrivalOffsetMs, connectionsAt, peakConnections, PhaseWalker, phaseSpans, rateAt } from '../../src/load/phases.js';
import type { Phase } from '../../src/load/types.js';

const open = (rate: number | [number, number], durationMs: number, name = 'open'): Phase => ({ name, kind: 'steady', durationMs, rate });
const closed = (connections: number | [number, number], durationMs: number, name = 'closed'): Phase => ({ name, kind: 'steady', durationMs, connections });

function offsets(phases: Phase[]): number[] {
  const schedule = new ArrivalSchedule(phases);
  const all: number[] = [];
  for (let offset = schedule.peek(); offset !== undefined; offset = schedule.peek()) {
    all.push(offset);
    schedule.advance();
  }
  return all;
}

describe('arrival schedule', () => {
  it('spaces a constant rate evenly: arrival k at k / rate', () => {
    const all = offsets([open(100, 1000)]);
    expect(all).toHaveLength(100);
    expect(all[0]).toBe(0);
    expect(all[37]).toBeCloseTo(370, 6);
  });

  it('adds up a linear ramp: [0, 100]/s over 10 s is 500 arrivals, ever closer together', () => {
    const all = offsets([open([0, 100], 10_000)]);
    expect(all.length).toBeGreaterThanOrEqual(499);
    expect(all.length).toBeLessThanOrEqual(501);
    const gaps = all.slice(1).map((offset, i) => offset - all[i]!);
    expect(gaps.every((gap, i) => i === 0 || gap <= gaps[i - 1]! + 1e-9)).toBe(true);
    // Half the arrivals of a ramp from 0 come in its last 29 %: N(t) ∝ t², so N = 250 at t = 10 s / √2.
    expect(all[250]).toBeCloseTo(10_000 / Math.SQRT2, -1);
  });

  it('adds up a falling ramp and a ramp that only changes a little', () => {
    expect(offsets([open([100, 10], 2000)]).length).toBeGreaterThanOrEqual(109);
    expect(offsets([open([100, 10], 2000)]).length).toBeLessThanOrEqual(111);
    expect(arrivalOffsetMs(open([100, 100.000001], 1000), 50)).toBeCloseTo(500, 3);
  });

  it('skips closed-model phases and anchors each phase to its planned start', () => {
    const all = offsets([open(10, 1000), closed(5, 1000), open(10, 1000)]);
    expect(all).toHaveLength(20);
    expect(all.slice(10).every((offset) => offset >= 2000 && offset < 3000)).toBe(true);
    expect(all[10]).toBe(2000);
  });
});

describe('phase walker', () => {
  it('enters each phase once, in order, also one too short for any call to land in', () => {
    const entered: string[] = [];
    const walker = new PhaseWalker([open(10, 1000, 'a'), open(10, 5, 'blink'), closed(3, 1000, 'c')], (phase) => entered.push(phase.name));
    expect(walker.at(0)?.phase.name).toBe('a');
    expect(walker.at(500)?.phase.name).toBe('a');
    expect(entered).toEqual(['a']);
    expect(walker.at(1500)?.phase.name).toBe('c');
    expect(entered).toEqual(['a', 'blink', 'c']);
    expect(walker.at(2005)).toBeUndefined();
    expect(entered).toEqual(['a', 'blink', 'c']);
  });

  it('reads a ramp at any moment: rate and whole connections', () => {
    const [up, conns] = phaseSpans([open([10, 110], 1000), closed([1, 10], 1000)]);
    expect(rateAt(up!, 500)).toBeCloseTo(60);
    expect(rateAt(conns!, 1500)).toBeUndefined();
    expect(connectionsAt(conns!, 1000)).toBe(1);
    expect(connectionsAt(conns!, 1500)).toBe(6);
    expect(connectionsAt(up!, 500)).toBeUndefined();
    expect(peakConnections([open(10, 1), closed([3, 12], 1), closed(7, 1)])).toBe(12);
    expect(peakConnections([open(10, 1)])).toBe(0);
  });
});
