import { describe, expect, it } from 'vitest';
import { firstDetection, testGrowth } from '../../src/analyze/growth.js';
import { gaussian } from './run-builder.js';

const criteria = { alpha: 0.01, minSlopePerMs: 0, minRise: 1 };
const series = (n: number, y: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ x: 1_700_000_000_000 + i * 1000, y: y(i) }));

describe('sustained growth test', () => {
  it('passes a line that keeps rising through noise', () => {
    const noise = gaussian(7, 2);
    const growth = testGrowth(series(40, (i) => 100 + i + noise()), criteria)!;
    expect(growth.passes).toBe(true);
    expect(growth.slopePerMs * 1000).toBeGreaterThan(0.8);
    expect(growth.slopePerMs * 1000).toBeLessThan(1.2);
    expect(growth.rise).toBeGreaterThan(30);
  });

  it('finds a fill-then-flat series significant but not sustained', () => {
    const noise = gaussian(8, 0.5);
    const growth = testGrowth(series(80, (i) => Math.min(i, 20) * 2 + noise()), criteria)!;
    expect(growth.significant).toBe(true);
    expect(growth.rise).toBeGreaterThan(criteria.minRise);
    expect(growth.sustained).toBe(false);
    expect(growth.passes).toBe(false);
  });

  it('passes growth that starts late: the last quarter rises faster than the whole', () => {
    const growth = testGrowth(series(60, (i) => (i < 30 ? 0 : i - 30)), criteria)!;
    expect(growth.tailSlopePerMs).toBeGreaterThan(growth.slopePerMs);
    expect(growth.passes).toBe(true);
  });

  it('finds growth that stopped for the last fifth of the window stopped: a cache that filled for 80 % of the run', () => {
    const noise = gaussian(11, 0.05);
    const growth = testGrowth(series(60, (i) => Math.min(i, 48) * 0.2 + noise()), criteria)!;
    expect(growth.grows).toBe(true);
    expect(growth.sustained).toBe(false);
    expect(growth.passes).toBe(false);
  });

  it('passes a leak that rises in steps, a step every tenth of the window', () => {
    const noise = gaussian(12, 0.05);
    const growth = testGrowth(series(60, (i) => 4 * Math.floor(i / 6) + noise()), criteria)!;
    expect(growth.sustained).toBe(true);
    expect(growth.passes).toBe(true);
  });

  it('does not take the noise at the end of a steady leak for a stop', () => {
    let stopped = 0;
    for (let seed = 0; seed < 200; seed += 1) {
      const noise = gaussian(100 + seed, 1);
      const growth = testGrowth(series(60, (i) => 0.15 * i + noise()), criteria)!;
      if (growth.significant && !growth.sustained) stopped += 1;
    }
    // The stop needs the tail to be slower with 99 % confidence: about 1 % of steady leaks at most.
    expect(stopped).toBeLessThanOrEqual(4);
  });

  it('fails flat noise, and returns nothing for fewer than 6 points', () => {
    const noise = gaussian(9, 1);
    expect(testGrowth(series(60, () => 50 + noise()), criteria)?.passes).toBe(false);
    expect(testGrowth(series(5, (i) => i * 10), criteria)).toBeUndefined();
  });

  it('dates first detection at the end of the shortest prefix that passes', () => {
    const points = series(60, (i) => (i < 30 ? 0 : (i - 30) * 5));
    const at = firstDetection(points, (prefix) => testGrowth(prefix, criteria)?.passes === true)!;
    const index = points.findIndex((point) => point.x === at);
    expect(index).toBeGreaterThan(30);
    expect(index).toBeLessThan(59);
    expect(testGrowth(points.slice(0, index + 1), criteria)?.passes).toBe(true);
    expect(testGrowth(points.slice(0, index), criteria)?.passes).toBe(false);
  });
});
