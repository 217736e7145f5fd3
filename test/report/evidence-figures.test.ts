import { describe, expect, it } from 'vitest';
import { evidenceFigure, evidenceFigures } from '../../src/report/evidence-figures.js';

const start = 1_763_800_000_000;

describe('evidence figures as a person reads them', () => {
  it('formats each figure by the unit its name carries', () => {
    expect(evidenceFigure('windowStart', start + 3_725_000, start)).toBe('+1:02:05');
    expect(evidenceFigure('p', 2e-12, start)).toBe('< 1e-6');
    expect(evidenceFigure('perUnitP', 0.04512, start)).toBe('0.045');
    expect(evidenceFigure('slopeMBPerHour', 205.3, start)).toBe('205 MB/h');
    expect(evidenceFigure('fittedEndMB', 18.14, start)).toBe('18.1 MB');
    expect(evidenceFigure('heapUsedAtWorst', 400 * 1024 * 1024, start)).toBe('400 MB');
    expect(evidenceFigure('worstStallMs', 430, start)).toBe('430 ms');
    expect(evidenceFigure('pausedShare', 0.0123, start)).toBe('1.23%');
    expect(evidenceFigure('hoursToLimit', 20.24, start)).toBe('20.2 h');
    expect(evidenceFigure('stallsPerHour', 12, start)).toBe('12/h');
    expect(evidenceFigure('pid', 30917, start)).toBe('30917');
    expect(evidenceFigure('n', 1234, start)).toBe('1,234');
  });

  it('flattens one level of nesting, lists short lists and counts long ones, and leaves the summary out', () => {
    const rows = evidenceFigures(
      {
        summary: 'words',
        trend: { t0: start + 5000, y0: 1000 },
        pauseMs: [721, 1728.4],
        values: Array.from({ length: 20 }, (_, index) => ({ t: start + index * 1000, mb: index })),
        limitName: 'heap limit',
        confounded: false,
      },
      start,
    );
    expect(rows).toEqual([
      ['trend.t0', '+0:00:05'],
      ['trend.y0', '1,000'],
      ['pauseMs', '721 ms, 1,728.4 ms'],
      ['values', '20 listed (in the raw evidence)'],
      ['limitName', 'heap limit'],
      ['confounded', 'no'],
    ]);
  });
});
