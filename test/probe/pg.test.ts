import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PoolSample } from '../../src/store/records.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { ProbeHarness, samplesUntil, type ProbedProcess } from './probed.js';

function poolSeries(target: ProbedProcess, name: string): PoolSample[] {
  return target.samples.flatMap((sample) => (sample.pools?.[name] ? [sample.pools[name]] : []));
}

describe('pg pool auto-instrumentation', () => {
  let postgres: TestPostgres;
  let harness: ProbeHarness;

  beforeAll(async () => {
    [postgres, harness] = await Promise.all([startPostgres(), ProbeHarness.start()]);
  });
  afterEach(() => harness.killChildren());
  afterAll(async () => {
    await harness?.close();
    await postgres?.stop();
  });

  async function expectPoolsReported(target: ProbedProcess): Promise<void> {
    const settled = (pg: PoolSample[]) => pg.some((sample) => sample.waiting === 3) && pg.some((sample) => (sample.acquireWaitMax ?? 0) >= 800) && poolSeries(target, 'pg#2').length > 0;
    await samplesUntil(target, () => settled(poolSeries(target, 'pg')), 15_000);
    const pg = poolSeries(target, 'pg');
    // Both clients checked out, three queries queued behind them.
    expect(pg).toContainEqual(expect.objectContaining({ total: 2, idle: 0, waiting: 3, acquireTimeout: 5000 }));
    // The queued three waited about the second the clients were held.
    const released = pg.find((sample) => (sample.acquireWaitMax ?? 0) >= 800);
    expect(released).toBeDefined();
    expect(released!.acquireWaitMax!).toBeLessThan(5000);
    expect(released!.acquires).toBeGreaterThanOrEqual(1);
    expect(pg.reduce((sum, sample) => sum + (sample.acquires ?? 0), 0)).toBe(5);
    expect(poolSeries(target, 'pg#2')[0]).toMatchObject({ total: 1, waiting: 0 });
    expect(poolSeries(target, 'pg#2')[0]!.acquireTimeout).toBeUndefined();
    // Once the work is done: both clients back, nothing acquired any more.
    await samplesUntil(target, () => poolSeries(target, 'pg').at(-1)?.acquires === 0);
    expect(poolSeries(target, 'pg').at(-1)).toMatchObject({ total: 2, idle: 2, waiting: 0, acquires: 0 });
  }

  it('reports every pg.Pool of a target that loads pg with require', async () => {
    await expectPoolsReported(harness.spawn('pg-pools.cjs', { intervalMs: 200, env: { DATABASE_URL: postgres.url() } }));
  });

  it('reports every pg.Pool of a target that loads pg with an ESM import', async () => {
    await expectPoolsReported(harness.spawn('pg-pools.mjs', { intervalMs: 200, env: { DATABASE_URL: postgres.url() } }));
  });
});
