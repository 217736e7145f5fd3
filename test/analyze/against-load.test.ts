import { describe, expect, it } from 'vitest';
import { growthAgainstLoad, type Gauge } from '../../src/analyze/against-load.js';
import { gaussian, MB, random, T0 } from './run-builder.js';

const KB = 1024;
const HOUR_MS = 3_600_000;
const criteria = { alpha: 0.01, minSlopePerMs: (5 * MB) / HOUR_MS, minRise: MB };
const STEP_MS = 10_000;
/** Ten minutes in 10-s buckets, as the trend tests see a 10-minute run. */
const N = 60;
const times = Array.from({ length: N }, (_, i) => T0 + i * STEP_MS);

/** Closed-model connections: 5 -> 200 over the first 80 %, then held. */
const rampThenHold = (i: number) => Math.round(5 + 195 * Math.min(1, i / (0.8 * N)));
const gaugeOf = (held: (i: number) => number, unit = 'connection held'): Gauge => ({ points: times.map((x, i) => ({ x, y: held(i) })), unit });
const series = (y: (i: number) => number) => times.map((x, i) => ({ x, y: y(i) }));
const perHour = (perMs: number) => (perMs * HOUR_MS) / MB;

describe('growth judged against what the load holds', () => {
  it('takes memory that follows a ramp of connections and then holds for what the load costs, not a leak', () => {
    const noise = gaussian(1, 0.2 * MB);
    const memory = series((i) => 40 * MB + 64 * KB * rampThenHold(i) + noise());
    const judged = growthAgainstLoad(memory, gaugeOf(rampThenHold), criteria)!;
    // It grew, then stopped when the load held.
    expect(judged.raw.grows).toBe(true);
    expect(judged.confounded).toBe(false);
    expect(judged.beyond.passes).toBe(false);
    expect(judged.perUnit!.slope / KB).toBeGreaterThan(58);
    expect(judged.perUnit!.slope / KB).toBeLessThan(70);
    expect(judged.gauge).toMatchObject({ from: 5, to: 200, peak: 200, unit: 'connection held' });
  });

  it('takes handles that follow the ramp one per connection for the load, though a few readings catch the timers just fired', () => {
    // One 1-s timer per request in flight: a reading taken as a burst of them fires counts few.
    const stray = new Set([9, 31, 59]);
    const handles = series((i) => (stray.has(i) ? 12 : 4 + rampThenHold(i)));
    const judged = growthAgainstLoad(handles, gaugeOf(rampThenHold), { alpha: 0.01, minSlopePerMs: 0, minRise: 2 })!;
    expect(judged.perUnit!.slope).toBeGreaterThan(0.9);
    expect(judged.perUnit!.slope).toBeLessThan(1.1);
    expect(judged.beyond.passes).toBe(false);
  });

  it('still finds a 100 MB/h leak during the same ramp, at its own rate', () => {
    const noise = gaussian(2, 0.2 * MB);
    const memory = series((i) => 40 * MB + 64 * KB * rampThenHold(i) + (100 * MB * i * STEP_MS) / HOUR_MS + noise());
    const judged = growthAgainstLoad(memory, gaugeOf(rampThenHold), criteria)!;
    expect(judged.beyond.passes).toBe(true);
    expect(perHour(judged.beyond.slopePerMs)).toBeGreaterThan(85);
    expect(perHour(judged.beyond.slopePerMs)).toBeLessThan(115);
    // What was measured is the leak and the connections together.
    expect(perHour(judged.raw.slopePerMs)).toBeGreaterThan(150);
  });

  it('leaves a leak under a steady load as it is: requests in flight that come and go explain nothing', () => {
    const noise = gaussian(3, 0.2 * MB);
    const next = random(4);
    const inflight = times.map(() => Math.floor(next() * 4));
    const memory = series((i) => 40 * MB + (30 * MB * i * STEP_MS) / HOUR_MS + noise());
    const judged = growthAgainstLoad(memory, gaugeOf((i) => inflight[i]!, 'request in flight'), criteria)!;
    expect(judged.perUnit).toBeUndefined();
    expect(judged.beyond).toBe(judged.raw);
    expect(judged.beyond.passes).toBe(true);
  });

  it('takes memory that rises and falls with the load for the load, and a leak under it for a leak', () => {
    const triangle = (i: number) => (i < N / 2 ? 10 + 6 * i : 10 + 6 * (N - i));
    const healthy = growthAgainstLoad(
      series((i) => 40 * MB + 64 * KB * triangle(i) + gaussian(5, 0.1 * MB)()),
      gaugeOf(triangle),
      criteria,
    )!;
    expect(healthy.beyond.passes).toBe(false);
    const noise = gaussian(6, 0.2 * MB);
    const leaking = growthAgainstLoad(series((i) => 40 * MB + 64 * KB * triangle(i) + (50 * MB * i * STEP_MS) / HOUR_MS + noise()), gaugeOf(triangle), criteria)!;
    expect(leaking.beyond.passes).toBe(true);
    expect(perHour(leaking.beyond.slopePerMs)).toBeGreaterThan(40);
    expect(perHour(leaking.beyond.slopePerMs)).toBeLessThan(60);
  });

  it('says when a load that ramps through the whole window cannot be told from a leak', () => {
    const ramp = (i: number) => Math.round(10 + 25 * i);
    const judged = growthAgainstLoad(series((i) => 40 * MB + 16 * KB * ramp(i) + gaussian(7, 0.1 * MB)()), gaugeOf(ramp, 'WebSocket held'), criteria)!;
    expect(judged.confounded).toBe(true);
    expect(judged.raw.passes).toBe(true);
    expect(judged.perUnit!.slope / KB).toBeGreaterThan(14);
    expect(judged.perUnit!.slope / KB).toBeLessThan(18);
  });

  it('judges the raw series alone without a gauge', () => {
    const judged = growthAgainstLoad(series((i) => 40 * MB + 0.2 * MB * i), undefined, criteria)!;
    expect(judged.beyond).toBe(judged.raw);
    expect(judged.confounded).toBe(false);
  });
});
