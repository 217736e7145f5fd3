import { describe, expect, it } from 'vitest';
import { MB, type Cell } from '../../bench/corpus/cells.js';
import { memoryNamed, statedHoursToLimit, statedRate, type FindingLike } from '../../bench/corpus/findings.js';
import { scoreRun, type SummaryLike } from '../../bench/corpus/score.js';
import type { Truth, TruthSample } from '../../bench/corpus/truth.js';

const T0 = 1_700_000_000_000;
const HOUR_MS = 3_600_000;

/** A target that retained `perHour` MB/h of `unit` for `seconds`, one sample a second, its heap at 50 MB plus what it held. */
function truth(perHour: number, seconds: number, unit: 'bytes' | 'handles' = 'bytes'): Truth {
  const scale = unit === 'bytes' ? MB : 1;
  const samples: TruthSample[] = Array.from({ length: seconds + 1 }, (_, second) => {
    const held = Math.round(((perHour * second * 1000) / HOUR_MS) * scale);
    return {
      type: 'sample',
      t: T0 + second * 1000,
      retained: { kind: 'x', unit, held, pieces: 0 },
      connections: { open: 1, opened: 1, stateBytes: 0, ws: 0 },
      requests: 0,
      handlerMaxMs: 0,
      loopDelay: { intervalMaxMs: 0, maxMs: 0 },
      gc: { majors: 0, majorMaxMs: 0, majorTotalMs: 0, minors: 0 },
      process: { heapUsed: 50 * MB + held, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 100 * MB + held },
      handles: {},
    };
  });
  return { start: { type: 'start', t: T0, pid: 1, params: {}, heapLimit: 4096 * MB, memoryLimit: 16384 * MB }, samples };
}

const summary = (findings: FindingLike[], seconds = 300): SummaryLike => ({
  verdict: findings.some((finding) => finding.severity === 'fail') ? 'fail' : 'pass',
  run: { startedAt: T0, endedAt: T0 + seconds * 1000, durationMs: seconds * 1000, endReason: 'completed' },
  findings,
});

const leak = (service: string, evidence: Record<string, unknown>, title = `Heap of ${service} grows`): FindingLike => ({
  kind: 'memory-leak',
  severity: 'fail',
  title,
  service,
  at: T0 + 120_000,
  evidence: { summary: '', windowStart: T0 + 10_000, windowEnd: T0 + 300_000, ...evidence },
});

const offHeapCell: Cell = {
  name: 'off-heap-200',
  what: '',
  minutes: 5,
  target: {},
  load: { kind: 'http', phases: [] },
  expect: { kind: 'memory-leak', memory: 'off-heap', rateMBPerHour: 200 },
};
const healthyCell: Cell = { ...offHeapCell, name: 'healthy', expect: 'no failing finding' };

describe('reading a finding of the corpus', () => {
  it('tells the memory a leak names from its series or words, never from the service name', () => {
    expect(memoryNamed(leak('off-heap-20', { series: 'heap after major GC' }))).toBe('heap');
    expect(memoryNamed(leak('heap-20', { series: 'RSS of the process tree' }, 'Memory of heap-20 grows'))).toBe('rss');
    expect(memoryNamed(leak('heap-20', { memory: 'off-heap buffers', series: 'external + arrayBuffers' }))).toBe('off-heap');
    expect(memoryNamed({ ...leak('x', {}), kind: 'handle-leak' })).toBe('handles');
  });

  it('reads the stated rate and time to the limit from the evidence, else from the words', () => {
    expect(statedRate(leak('a', { slopeMBPerHour: 19.5, slopeLowMBPerHour: 10 }))).toBe(19.5);
    expect(statedRate(leak('a', {}, 'Off-heap memory of a grows 1.5 GB/h'))).toBe(1536);
    expect(statedRate({ ...leak('a', {}, 'Timeout handles of a grow 10/min'), kind: 'handle-leak' })).toBe(600);
    expect(statedHoursToLimit(leak('a', { hoursToLimit: 20.2 }))).toBe(20.2);
    expect(statedHoursToLimit(leak('a', { summary: 'At this rate it reaches the 4,144 MB heap limit in 1,234.5 h.' }))).toBe(1234.5);
  });
});

describe('scoring a run against the truth', () => {
  it('counts an off-heap leak found only on the heap as a miss and a wrong finding', () => {
    const score = scoreRun(offHeapCell, 1, 'dir', summary([leak('off-heap-200', { series: 'heap after major GC', slopeMBPerHour: 3 })]), truth(200, 300));
    expect(score.hit).toBe(false);
    expect(score.falsePositives).toHaveLength(1);
    expect(score.falsePositives[0]!.why).toContain('not the off-heap');
  });

  it('scores the right finding against the true rate and time to the limit; the heap one beside it is "also"', () => {
    const right = leak('off-heap-200', { memory: 'off-heap', slopeMBPerHour: 180, hoursToLimit: 80 }, 'Off-heap memory of off-heap-200 grows 180 MB/h');
    const score = scoreRun(offHeapCell, 1, 'dir', summary([leak('off-heap-200', { series: 'heap after major GC', slopeMBPerHour: 3 }), right]), truth(200, 300));
    expect(score.hit).toBe(true);
    expect(score.falsePositives).toEqual([]);
    expect(score.also).toHaveLength(1);
    expect(score.detectedAfterS).toBe(120);
    expect(score.truth.rate).toBeCloseTo(200, 1);
    expect(score.rateErrorPct).toBeCloseTo(-10, 0);
    // From an RSS of 100 + 200 * 300 / 3600 MB at the end of the window to 16384 MB at 200 MB/h.
    expect(score.truth.hoursToLimit).toBeCloseTo((16384 - 100 - (200 * 300) / 3600) / 200, 1);
  });

  it('on a healthy cell counts every failing finding of its own target or of the whole run, and nothing else', () => {
    const findings: FindingLike[] = [
      { kind: 'event-loop-blocked', severity: 'fail', title: 'blocked', service: 'healthy', evidence: {} },
      { kind: 'error-rate', severity: 'fail', title: 'errors', evidence: {} },
      { kind: 'gc-pause', severity: 'warn', title: 'paused', service: 'healthy', evidence: {} },
      { kind: 'memory-leak', severity: 'fail', title: 'other', service: 'another-cell', evidence: {} },
    ];
    const score = scoreRun(healthyCell, 1, 'dir', summary(findings), truth(0, 300));
    expect(score.falsePositives.map((wrong) => wrong.kind)).toEqual(['event-loop-blocked', 'error-rate']);
  });

  it('proves nothing without the target truth', () => {
    expect(scoreRun(offHeapCell, 1, 'dir', summary([]), undefined).valid).toBe(false);
  });
});
