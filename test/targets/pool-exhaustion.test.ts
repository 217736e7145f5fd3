import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { getJson, startTarget, stopAllTargets, type RunningTarget } from '../helpers/targets.js';

interface Outcome {
  status: number;
  ms: number;
}

/** `concurrency` loops, each requesting orders 1..100 (10 % of them archived -> 404) until `durationMs` passes. */
async function drive(target: RunningTarget, concurrency: number, durationMs: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const end = Date.now() + durationMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const id = (next++ % 100) + 1;
        const started = Date.now();
        try {
          const response = await fetch(`${target.url}/orders/${id}`, { signal: AbortSignal.timeout(10_000) });
          await response.body?.cancel();
          outcomes.push({ status: response.status, ms: Date.now() - started });
        } catch {
          outcomes.push({ status: 0, ms: Date.now() - started });
        }
      }
    }),
  );
  return outcomes;
}

describe('pool-exhaustion target', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterEach(stopAllTargets);
  afterAll(async () => {
    await postgres?.stop();
  });

  it('buggy leaks a client per 404 until requests wait out the 2 s connect timeout; fixed answers all of them', async () => {
    const [buggy, fixed] = await Promise.all([
      startTarget('pool-exhaustion', { variant: 'buggy', env: { DATABASE_URL: await postgres.createDatabase('orders_buggy') } }),
      startTarget('pool-exhaustion', { variant: 'fixed', env: { DATABASE_URL: await postgres.createDatabase('orders_fixed') } }),
    ]);
    const [buggyOutcomes, fixedOutcomes] = await Promise.all([drive(buggy, 30, 4000), drive(fixed, 30, 4000)]);

    const buggyFailures = buggyOutcomes.filter((outcome) => outcome.status >= 500 || outcome.status === 0);
    expect(buggyFailures.length).toBeGreaterThan(0);
    // Each failure is a request that waited out the pool's connect timeout.
    expect(Math.min(...buggyFailures.map((failure) => failure.ms))).toBeGreaterThanOrEqual(1900);
    const buggyStats = (await getJson(`${buggy.url}/stats`)).body;
    expect(buggyStats.pool.total).toBe(10);
    expect(buggyStats.pool.idle).toBe(0);

    const fixedStatuses = new Set(fixedOutcomes.map((outcome) => outcome.status));
    expect([...fixedStatuses].every((status) => status === 200 || status === 404 || status === 503)).toBe(true);
    expect(fixedOutcomes.filter((outcome) => outcome.status === 200).length).toBeGreaterThan(buggyOutcomes.filter((outcome) => outcome.status === 200).length);
    // Shed requests are refused at once, not after waiting for a connection.
    for (const shed of fixedOutcomes.filter((outcome) => outcome.status === 503)) expect(shed.ms).toBeLessThan(1000);
    const fixedStats = (await getJson(`${fixed.url}/stats`)).body;
    expect(fixedStats.pool.waiting).toBe(0);
    expect(fixedStats.pool.idle).toBe(fixedStats.pool.total);
  });

  it('both variants exit 0 on SIGTERM, the buggy one even with leaked clients', async () => {
    const buggy = await startTarget('pool-exhaustion', { variant: 'buggy', env: { DATABASE_URL: await postgres.createDatabase('orders_stop') } });
    await drive(buggy, 5, 300);
    expect(await buggy.stop()).toEqual({ code: 0, signal: null });
  });
});
