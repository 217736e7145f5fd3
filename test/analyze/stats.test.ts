import { describe, expect, it } from 'vitest';
import { bucketSeries, kendall, mannKendall, median, normalQuantile, normalUpperTail, quantile, studentUpperTail, theilSen, trendBucketMs } from '../../src/analyze/stats/index.js';
import { blockLength, blockMeans, lag1Autocorrelation } from '../../src/analyze/stats/blocks.js';
import { mannWhitney } from '../../src/analyze/stats/mann-whitney.js';
import { shiftTest } from '../../src/analyze/stats/shift.js';
import { gaussian } from './run-builder.js';

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((rest) => Array.from({ length: n }, (_, at) => [...rest.slice(0, at), n - 1, ...rest.slice(at)]));
}

describe('normal distribution', () => {
  it('gives the textbook tail areas and quantiles', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.644854)).toBeCloseTo(0.95, 6);
    // Far tail keeps relative accuracy: P(Z > 6) = 9.866e-10.
    expect(normalUpperTail(6) / 9.865876e-10).toBeCloseTo(1, 4);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
  });
});

describe("Student's t distribution", () => {
  it('gives the upper tails of the printed tables', () => {
    // t(0.99) for 3, 5, 10 and 30 degrees of freedom, t(0.95) for 5, t(0.90) for 10.
    for (const [t, df, p] of [[4.541, 3, 0.01], [3.365, 5, 0.01], [2.764, 10, 0.01], [2.457, 30, 0.01], [2.015, 5, 0.05], [1.372, 10, 0.1]] as const) {
      expect(studentUpperTail(t, df)).toBeCloseTo(p, 4);
    }
    expect(studentUpperTail(0, 4)).toBeCloseTo(0.5, 10);
    expect(studentUpperTail(-2.764, 10)).toBeCloseTo(0.99, 4);
  });
});

describe('quantiles', () => {
  it('interpolates between neighbours like R type 7', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 10);
    expect(quantile([5], 0.99)).toBe(5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('Mann-Kendall', () => {
  it('scores a perfect rise with S = n(n-1)/2, tau 1 and the exact p = 1/n!', () => {
    const result = mannKendall([1, 2, 3, 4, 5]);
    expect(result.s).toBe(10);
    expect(result.tau).toBe(1);
    expect(result.pIncreasing).toBeCloseTo(1 / 120, 12);
    expect(result.p).toBeCloseTo(2 / 120, 12);
  });

  it('scores a fall as the mirror image', () => {
    const result = mannKendall([5, 4, 3, 2, 1]);
    expect(result.s).toBe(-10);
    expect(result.tau).toBe(-1);
    expect(result.pIncreasing).toBe(1);
    expect(result.p).toBeCloseTo(2 / 120, 12);
  });

  it('matches a brute-force permutation test for every S at n = 6', () => {
    const all = permutations(6).map((order) => mannKendall(order).s);
    for (const s of new Set(all)) {
      const upper = all.filter((other) => other >= s).length / all.length;
      const values = permutations(6).find((order) => mannKendall(order).s === s)!;
      expect(mannKendall(values).pIncreasing).toBeCloseTo(upper, 12);
    }
  });

  it('corrects the variance and tau for ties', () => {
    // Pairs: 8 rising, 2 tied. Var(S) = (5*4*15 - 2*(2*1*9)) / 18; tau-b = 8 / sqrt(10 * 8).
    const result = mannKendall([1, 1, 2, 2, 3]);
    expect(result.s).toBe(8);
    expect(result.varS).toBeCloseTo(264 / 18, 10);
    expect(result.tau).toBeCloseTo(8 / Math.sqrt(80), 10);
    expect(result.z).toBeCloseTo(7 / Math.sqrt(264 / 18), 10);
    expect(result.pIncreasing).toBeCloseTo(normalUpperTail(7 / Math.sqrt(264 / 18)), 10);
  });

  it('finds no evidence in a constant series or in fewer than 3 values', () => {
    expect(mannKendall([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]).p).toBe(1);
    expect(mannKendall([1, 2]).pIncreasing).toBe(1);
    expect(mannKendall([]).s).toBe(0);
  });

  it('rejects white noise at about the nominal rate', () => {
    let rejected = 0;
    const trials = 1000;
    for (let trial = 0; trial < trials; trial += 1) {
      const noise = gaussian(1000 + trial, 1);
      if (mannKendall(Array.from({ length: 30 }, noise)).p < 0.05) rejected += 1;
    }
    expect(rejected / trials).toBeGreaterThan(0.03);
    expect(rejected / trials).toBeLessThan(0.07);
  });
});

describe('Kendall rank correlation', () => {
  it('scores perfect agreement with S = n(n-1)/2 and tau 1', () => {
    const xs = [3, 1, 4, 1.5, 9, 2.6];
    const result = kendall(xs, xs.map((x) => 2 * x + 1));
    expect(result.s).toBe(15);
    expect(result.tau).toBe(1);
    expect(result.pPositive).toBeLessThan(0.01);
  });

  it('gives the tau-b of scipy.stats.kendalltau on its documented example with ties in both', () => {
    // scipy: kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) -> tau -0.47140452079103173.
    const result = kendall([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]);
    expect(result.tau).toBeCloseTo(-0.47140452079103173, 12);
    expect(result.pPositive).toBeGreaterThan(0.5);
  });

  it('is Mann-Kendall when x is time: the same S and tie-corrected variance', () => {
    const ys = [1, 1, 2, 2, 3, 2.5, 4];
    const against = kendall(ys.map((_, i) => i), ys);
    const trend = mannKendall(ys);
    expect(against.s).toBe(trend.s);
    expect(against.varS).toBeCloseTo(trend.varS, 10);
    expect(against.pPositive).toBeCloseTo(trend.pIncreasing, 10);
  });

  it('finds an association between independent samples at about the nominal rate', () => {
    let found = 0;
    const trials = 1000;
    for (let trial = 0; trial < trials; trial += 1) {
      const x = gaussian(5000 + trial, 1);
      const y = gaussian(9000 + trial, 1);
      if (kendall(Array.from({ length: 30 }, x), Array.from({ length: 30 }, y)).pPositive < 0.05) found += 1;
    }
    expect(found / trials).toBeGreaterThan(0.03);
    expect(found / trials).toBeLessThan(0.07);
  });
});

describe('Theil-Sen', () => {
  it('recovers a perfect line exactly, with a zero-width interval', () => {
    const fit = theilSen(Array.from({ length: 10 }, (_, x) => ({ x, y: 2 * x + 1 })));
    expect(fit.slope).toBe(2);
    expect(fit.intercept).toBe(1);
    expect(fit.slopeLow).toBe(2);
    expect(fit.slopeHigh).toBe(2);
  });

  it('ignores a few wild outliers that would drag least squares', () => {
    const points = Array.from({ length: 20 }, (_, x) => ({ x, y: 3 * x + 5 }));
    points[4]!.y = 1000;
    points[15]!.y = -1000;
    const fit = theilSen(points);
    expect(fit.slope).toBeCloseTo(3, 10);
    expect(fit.intercept).toBeCloseTo(5, 10);
  });

  it('takes the interval at Sen\'s ranks (N -/+ z sqrt(Var S)) / 2 among the pairwise slopes', () => {
    // x = 0..4, y chosen so the 10 pairwise slopes are distinct.
    const points = [0, 1, 3, 4, 8].map((y, x) => ({ x, y }));
    const slopes: number[] = [];
    for (let i = 0; i < 5; i += 1) for (let j = i + 1; j < 5; j += 1) slopes.push((points[j]!.y - points[i]!.y) / (j - i));
    slopes.sort((a, b) => a - b);
    const c = 1.959964 * Math.sqrt((5 * 4 * 15) / 18);
    const rank = (r: number) => {
      const clamped = Math.min(Math.max(r, 1), 10);
      const below = Math.floor(clamped);
      return slopes[below - 1]! + (clamped - below) * ((slopes[below] ?? slopes[below - 1]!) - slopes[below - 1]!);
    };
    const fit = theilSen(points);
    expect(fit.slope).toBe((slopes[4]! + slopes[5]!) / 2);
    expect(fit.slopeLow).toBeCloseTo(rank((10 - c) / 2), 10);
    expect(fit.slopeHigh).toBeCloseTo(rank((10 + c) / 2 + 1), 10);
  });

  it('covers the true slope about 95 % of the time', () => {
    let covered = 0;
    const trials = 400;
    for (let trial = 0; trial < trials; trial += 1) {
      const noise = gaussian(5000 + trial, 4);
      const fit = theilSen(Array.from({ length: 25 }, (_, x) => ({ x, y: 0.5 * x + noise() })));
      if (fit.slopeLow <= 0.5 && 0.5 <= fit.slopeHigh) covered += 1;
    }
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('handles one or two points without inventing a trend', () => {
    expect(theilSen([{ x: 1, y: 7 }])).toMatchObject({ slope: 0, intercept: 7 });
    expect(theilSen([{ x: 0, y: 1 }, { x: 2, y: 5 }])).toMatchObject({ slope: 2, intercept: 1 });
  });
});

describe('bucketing before trend tests', () => {
  it('keeps buckets at or above one sample, near 10 s when the run allows, and at most 600 of them', () => {
    expect(trendBucketMs(30_000, 500)).toBe(1000);
    expect(trendBucketMs(3_600_000, 1000)).toBe(10_000);
    expect(trendBucketMs(8 * 3_600_000, 1000)).toBe(48_000);
    expect(trendBucketMs(5_000, 1000)).toBe(1000);
  });

  it('reduces each bucket to its median time and its median, minimum or maximum value', () => {
    const points = [0, 1, 2, 3, 4, 5].map((i) => ({ x: i * 1000, y: [5, 1, 9, 7, 3, 8][i]! }));
    expect(bucketSeries(points, 3000, 'min')).toEqual([
      { x: 1000, y: 1 },
      { x: 4000, y: 3 },
    ]);
    expect(bucketSeries(points, 3000, 'median')).toEqual([
      { x: 1000, y: 5 },
      { x: 4000, y: 7 },
    ]);
    expect(bucketSeries(points, 3000, 'max').map((point) => point.y)).toEqual([9, 8]);
    expect(bucketSeries(Array.from({ length: 28_800 }, (_, i) => ({ x: i * 1000, y: i })), trendBucketMs(28_800_000, 1000), 'median').length).toBeLessThanOrEqual(600);
  });
});

/** `count` values of an AR(1) series (each value rho times the last plus fresh noise), from its stationary start. */
function autoregressive(noise: () => number, rho: number, count: number, level = 0): number[] {
  let value = noise() / Math.sqrt(1 - rho * rho);
  return Array.from({ length: count }, () => {
    value = rho * value + noise();
    return level + value;
  });
}

describe('blocks of autocorrelated buckets', () => {
  it('measures the lag-1 autocorrelation of series pooled, each about its own mean', () => {
    expect(lag1Autocorrelation([1, -1, 1, -1, 1, -1])).toBeLessThan(-0.5);
    expect(lag1Autocorrelation([1, 2, 3, 4, 5, 6, 7, 8])).toBeGreaterThan(0.5);
    // Two flat series at different levels: no autocorrelation, however far apart.
    expect(lag1Autocorrelation([5, 5, 5], [9, 9, 9])).toBe(0);
    expect(lag1Autocorrelation([1, 2, 3, 4], [14, 13, 12, 11])).toBeCloseTo(lag1Autocorrelation([1, 2, 3, 4]), 12);
  });

  it('keeps independent buckets apart and groups correlated ones in blocks of one effective sample', () => {
    expect(blockLength(0)).toBe(1);
    expect(blockLength(-0.4)).toBe(1);
    expect(blockLength(0.05)).toBe(1);
    // n (1 - rho) / (1 + rho) independent values: one in under 2 buckets at 0.2, in 3 at 0.5, in 9 at 0.8.
    expect(blockLength(0.5)).toBe(3);
    expect(blockLength(0.8)).toBe(9);
    expect(blockLength(0.2)).toBe(2);
    // Ten values in three blocks of 3, 3 and 4: none is left out.
    expect(blockMeans([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([2, 5, 8.5]);
    expect(blockMeans([4, 1, 3], 1)).toEqual([4, 1, 3]);
  });

  // Two runs of one service whose 1 s buckets follow each other closely (rho 0.7), 30 buckets each.
  it('two runs of one autocorrelated process: a few false alarms at 0.01 in blocks, where independent buckets give several times as many', () => {
    const noise = gaussian(31, 1);
    const pairs = 400;
    let alarmsOnBuckets = 0;
    let alarms = 0;
    for (let pair = 0; pair < pairs; pair += 1) {
      const before = autoregressive(noise, 0.7, 30);
      const after = autoregressive(noise, 0.7, 30);
      if (mannWhitney(after, before).pGreater < 0.01) alarmsOnBuckets += 1;
      if ((shiftTest(before, after)?.pHigher ?? 1) < 0.01) alarms += 1;
    }
    expect(alarmsOnBuckets / pairs).toBeGreaterThan(0.1);
    expect(alarms / pairs).toBeLessThanOrEqual(0.07);
  });

  it('still finds a lasting shift of the level in autocorrelated buckets, with the Hodges-Lehmann shift of the same blocks', () => {
    const noise = gaussian(32, 1);
    const pairs = 100;
    let found = 0;
    for (let pair = 0; pair < pairs; pair += 1) {
      const test = shiftTest(autoregressive(noise, 0.5, 60, 100), autoregressive(noise, 0.5, 60, 105));
      if (!test) continue;
      if (test.pHigher < 0.01) found += 1;
      expect(test.nBefore).toBe(Math.floor(60 / test.bucketsPerBlock));
      expect(test.shiftLow).toBeLessThanOrEqual(test.shift);
      expect(test.shiftHigh).toBeGreaterThanOrEqual(test.shift);
    }
    expect(found / pairs).toBeGreaterThan(0.8);
  });
});
