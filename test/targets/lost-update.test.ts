import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { getJson, postJson, startTarget, stopAllTargets, type RunningTarget, type Variant } from '../helpers/targets.js';

/** 50 concurrent observations of 1..50 in shuffled order on a fresh series; returns what is stored, acknowledged and sent. */
async function observeConcurrently(target: RunningTarget, series: string) {
  const values = Array.from({ length: 50 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
  const responses = await Promise.all(values.map((value) => postJson(`${target.url}/observe`, { series, value })));
  expect(responses.every((response) => response.status === 200)).toBe(true);
  const stored = (await getJson<{ max: number }>(`${target.url}/max?series=${series}`)).body.max;
  const observed = (await getJson<{ count: number; max: number }>(`${target.url}/observed?series=${series}`)).body;
  return { stored, observed, trueMax: Math.max(...values) };
}

describe('lost-update target', () => {
  let postgres: TestPostgres;
  const databases = new Map<Variant, string>();

  beforeAll(async () => {
    postgres = await startPostgres();
    databases.set('buggy', await postgres.createDatabase('max_buggy'));
    databases.set('fixed', await postgres.createDatabase('max_fixed'));
  });
  afterEach(stopAllTargets);
  afterAll(async () => {
    await postgres?.stop();
  });

  const start = (variant: Variant) => startTarget('lost-update', { variant, env: { DATABASE_URL: databases.get(variant)! } });

  it('buggy acknowledges the true maximum and then stores a smaller one', async () => {
    const target = await start('buggy');
    const lost: { stored: number; trueMax: number }[] = [];
    for (let attempt = 0; attempt < 5 && lost.length === 0; attempt += 1) {
      const { stored, observed, trueMax } = await observeConcurrently(target, `buggy-${attempt}`);
      expect(observed).toEqual({ series: `buggy-${attempt}`, count: 50, max: trueMax });
      if (stored < trueMax) lost.push({ stored, trueMax });
    }
    expect(lost).toHaveLength(1);
  });

  it('fixed stores the true maximum every time', async () => {
    const target = await start('fixed');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { stored, observed, trueMax } = await observeConcurrently(target, `fixed-${attempt}`);
      expect(observed.max).toBe(trueMax);
      expect(stored).toBe(trueMax);
    }
  });

  it('rejects an observation that is not a finite number', async () => {
    const target = await start('fixed');
    expect((await postJson(`${target.url}/observe`, { value: 'high' })).status).toBe(400);
    expect((await getJson(`${target.url}/max?series=never`)).body).toEqual({ series: 'never', max: null });
  });
});
