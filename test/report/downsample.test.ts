import { describe, expect, it } from 'vitest';
import { downsample, type Point } from '../../src/report/downsample.js';

function series(length: number): Point[] {
  return Array.from({ length }, (_, index) => [index, Math.sin(index / 300) * 10 + 50] as Point);
}

describe('downsample', () => {
  it('keeps an 8-hour series of 28,800 samples under 1,000 points', () => {
    expect(downsample(series(28_800)).length).toBeLessThanOrEqual(1000);
    expect(downsample(series(28_800), 200).length).toBeLessThanOrEqual(200);
  });

  it('keeps a one-sample spike and a one-sample dip', () => {
    const points = series(28_800);
    points[12_345] = [12_345, 9_999];
    points[20_001] = [20_001, -9_999];
    const kept = downsample(points);
    expect(kept).toContainEqual([12_345, 9_999]);
    expect(kept).toContainEqual([20_001, -9_999]);
  });

  it('keeps points in time order', () => {
    const kept = downsample(series(10_007), 300);
    for (let index = 1; index < kept.length; index++) expect(kept[index]![0]).toBeGreaterThan(kept[index - 1]![0]);
  });

  it('returns a short series unchanged', () => {
    const points = series(500);
    expect(downsample(points)).toEqual(points);
  });
});
