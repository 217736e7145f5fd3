import { describe, expect, it } from 'vitest';
import { undeliveredLoad } from '../../src/distributed/undelivered.js';
import type { Phase } from '../../src/load/types.js';

describe('the planned load a lost worker did not send', () => {
  const phases: Phase[] = [
    { name: 'up', kind: 'ramp', durationMs: 10_000, rate: [0, 100] },
    { name: 'steady', kind: 'steady', durationMs: 10_000, rate: 100 },
    { name: 'closed', kind: 'steady', durationMs: 5_000, connections: 8 },
  ];

  it('is its share of what the rest of each phase plans, arrivals and connection-seconds', () => {
    // Whole stream from the start: the ramp's 500 arrivals, the steady 1000, 8 connections for 5 s.
    expect(undeliveredLoad(phases, { index: 0, count: 1 }, 0)).toEqual({ requests: 1500, connectionSeconds: 40 });
    // Half of it from the middle of the ramp: (75 req/s mean over 5 s + 1000) / 2.
    expect(undeliveredLoad(phases, { index: 1, count: 2 }, 5_000)).toEqual({ requests: 688, connectionSeconds: 20 });
    expect(undeliveredLoad(phases, { index: 0, count: 4 }, 22_500)).toEqual({ requests: 0, connectionSeconds: 5 });
    expect(undeliveredLoad(phases, { index: 0, count: 4 }, 30_000)).toEqual({ requests: 0, connectionSeconds: 0 });
  });
});
