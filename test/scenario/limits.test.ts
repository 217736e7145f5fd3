import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, MAX_RATE_PER_STREAM } from '../../src/scenario/index.js';
import { resolveScenario } from '../../src/wiring/index.js';
import { rejectionOf as messageOf } from '../helpers/scenario.js';
import { runSoak } from '../helpers/soak-cli.js';

const base = { name: 'limits', target: { cmd: 'node server.js' } };
const withPhases = (phases: unknown[]) => ({ ...base, load: { path: '/', phases } });

describe('limits checked when a scenario is loaded', () => {
  it('caps the arrival rate of a stream at what one soak process can schedule, at either end of a ramp', () => {
    expect(MAX_RATE_PER_STREAM).toBe(100_000);
    expect(messageOf(withPhases([{ duration: '3s', rate: 1e9 }]))).toBe('load.phases[0].rate: at most 100000 per second per stream (what one soak process can schedule)');
    expect(messageOf(withPhases([{ duration: '3s', rate: 10 }, { kind: 'ramp', duration: '3s', rate: [1e9, 10] }]))).toMatch(/^load\.phases\[1\]\.rate: at most 100000 per second/);
    expect(resolveScenario(withPhases([{ duration: '3s', rate: MAX_RATE_PER_STREAM }])).load[0]!.phases[0]!.rate).toBe(MAX_RATE_PER_STREAM);
  });

  it('caps connections', () => {
    expect(messageOf(withPhases([{ duration: '3s', connections: 1e9 }]))).toBe('load.phases[0].connections: at most 100000 connections per stream');
  });

  it('caps every duration at what a timer can hold, and a stream\'s phases together', () => {
    expect(MAX_DURATION_MS).toBe(2 ** 31 - 1);
    expect(messageOf(withPhases([{ duration: '100000h', rate: 5 }]))).toBe('load.phases[0].duration: at most 596h, about 24 days (the longest a timer can wait), got "100000h"');
    expect(messageOf({ ...withPhases([{ duration: '1m', rate: 5 }]), sampleInterval: '30d' })).toMatch(/^sampleInterval: at most 596h/);
    expect(messageOf(withPhases([{ duration: '500h', rate: 5 }, { duration: '500h', rate: 5 }]))).toBe('load.phases: they add up to 1000h00m; at most 596h, about 24 days (the longest a timer can wait)');
  });

  it('refuses absurd ad-hoc flags at once, in one line naming the flag', async () => {
    const rate = await runSoak(['run', '--cmd', 'node server.js', '--rate', '1e9', '--duration', '3s']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toBe('soak: --rate: at most 100000 per second per stream (what one soak process can schedule)\n');
    const duration = await runSoak(['run', '--cmd', 'node server.js', '--duration', '100000h']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toBe('soak: --duration: at most 596h, about 24 days (the longest a timer can wait), got "100000h"\n');
  });
});
