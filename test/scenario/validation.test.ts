import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/wiring/index.js';
import { rejectionOf as messageOf } from '../helpers/scenario.js';

const valid = {
  name: 'demo',
  target: { cmd: 'node server.js' },
  load: { path: '/', phases: [{ kind: 'ramp', duration: '10s', rate: [1, 100] }, { duration: '1m', connections: 10 }] },
  budgets: { p99: '250ms', errorRate: 0.01 },
};

describe('scenario validation', () => {
  it('applies defaults and converts durations to milliseconds', () => {
    const scenario = resolveScenario(valid);
    expect(scenario.targets[0]).toMatchObject({ name: 'target', runtime: 'local', port: 'auto', probe: true, options: { cmd: 'node server.js' } });
    expect(scenario.load[0]!.phases.map((phase) => phase.durationMs)).toEqual([10_000, 60_000]);
    expect(scenario.load[0]!.phases[1]!.name).toBe('steady-2');
    expect(scenario.budgets.p99).toBe(250);
    expect(scenario.plannedMs).toBe(70_000);
    expect(scenario.sampleIntervalMs).toBe(1000);
  });

  it('names the field of a bad phase rate', () => {
    const input = { ...valid, load: { path: '/', phases: [{ duration: '1s', rate: 1 }, { duration: '1s', rate: 1 }, { duration: '1s', rate: -3 }] } };
    expect(messageOf(input)).toBe('load.phases[2].rate: expected a positive number');
  });

  it('names a duration without a unit', () => {
    expect(messageOf({ ...valid, load: { path: '/', phases: [{ duration: '90', rate: 5 }] } })).toMatch(/^load\.phases\[0\]\.duration: expected a duration like "90s"/);
  });

  it('rejects a phase with both rate and connections', () => {
    expect(messageOf({ ...valid, load: { path: '/', phases: [{ duration: '1s', rate: 5, connections: 2 }] } })).toMatch(/^load\.phases\[0\]: give either rate/);
  });

  it('names unknown fields, missing commands and unknown kinds', () => {
    expect(messageOf({ ...valid, budgets: { p99: '1s', p42: '1s' } })).toBe('budgets: unknown field "p42"');
    expect(messageOf({ ...valid, target: {} })).toMatch(/^target\.cmd: required/);
    expect(messageOf({ ...valid, target: { cmd: 'x', runtime: 'mainframe' } })).toMatch(/unknown runtime "mainframe"/);
    expect(messageOf({ ...valid, load: { ...valid.load, kind: 'carrier-pigeon' } })).toMatch(/unknown load driver "carrier-pigeon"/);
  });

  it('names a load stream aimed at a target that does not exist', () => {
    expect(messageOf({ ...valid, load: { ...valid.load, target: 'api' } })).toBe('load.target: no target named "api"');
  });

  it('rejects an error-rate budget that is not a fraction', () => {
    expect(messageOf({ ...valid, budgets: { errorRate: 5 } })).toBe('budgets.errorRate: expected a fraction between 0 and 1');
  });
});

describe('load workers and rates', () => {
  it('caps a stream at the one rate limit whatever its driver threads, naming the field', () => {
    const message = messageOf({ name: 'two', target: { cmd: 'x' }, load: [{ path: '/', phases: [{ duration: '1s', rate: 5 }] }, { path: '/', workers: 4, phases: [{ duration: '1s', rate: 250_000 }] }] });
    expect(message).toBe('load[1].phases[0].rate: at most 100000 per second per stream (what one soak process can schedule)');
  });

  it('takes load.workers from the scenario, --workers over it, and a default from the load otherwise', () => {
    const open = (rate: number, workers?: number) => ({ ...valid, load: { path: '/', ...(workers !== undefined ? { workers } : {}), phases: [{ duration: '1s', rate }] } });
    expect(resolveScenario(open(100, 3)).load[0]!.workers).toBe(3);
    expect(resolveScenario(open(100, 3), undefined, { workers: 2 }).load[0]!.workers).toBe(2);
    expect(resolveScenario(open(100)).load[0]!.workers).toBe(1);
    expect(resolveScenario(open(90_000, 2)).load[0]!.workers).toBe(2);
    expect(messageOf(open(100, 0))).toBe('load.workers: expected a positive whole number');
  });
});
