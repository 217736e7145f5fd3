import { describe, expect, it } from 'vitest';
import { MB, megabytes, megabytesPerHour, pFigure, sinceStart } from '../../src/core/format.js';

describe('figures for humans', () => {
  const start = 1_763_800_000_000;

  it('says a time of the run as +h:mm:ss from its start, hours counted on past a day', () => {
    expect(sinceStart(start, start)).toBe('+0:00:00');
    expect(sinceStart(start + 65_000, start)).toBe('+0:01:05');
    expect(sinceStart(start + 3_725_400, start)).toBe('+1:02:05');
    expect(sinceStart(start + 72 * 3_600_000, start)).toBe('+72:00:00');
    expect(sinceStart(start - 2_000, start)).toBe('-0:00:02');
  });

  it('says a p-value below 1e-6 as "< 1e-6", else to two significant digits', () => {
    expect(pFigure(0)).toBe('< 1e-6');
    expect(pFigure(3.2e-9)).toBe('< 1e-6');
    expect(pFigure(1e-6)).toBe('0.000001');
    expect(pFigure(0.003141)).toBe('0.0031');
    expect(pFigure(0.04567)).toBe('0.046');
    expect(pFigure(0.5)).toBe('0.5');
    expect(pFigure(1)).toBe('1');
  });

  it('says sizes in MB and growth in MB/h', () => {
    expect(megabytes(12.5 * MB)).toBe('12.5 MB');
    expect(megabytes(1536 * MB)).toBe('1,536 MB');
    expect(megabytesPerHour(2649.4)).toBe('2,649 MB/h');
    expect(megabytesPerHour(4.52)).toBe('4.52 MB/h');
  });
});
