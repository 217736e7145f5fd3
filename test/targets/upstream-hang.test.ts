import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { getJson, startTarget, stopAllTargets, type RunningTarget } from '../helpers/targets.js';

interface Answer {
  status: number;
  error?: string;
}

async function price(target: RunningTarget, sku: number): Promise<Answer> {
  const { status, body } = await getJson<{ error?: string }>(`${target.url}/prices/${sku}`, { signal: AbortSignal.timeout(30_000) });
  return { status, error: body?.error };
}

describe('upstream-hang target', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterEach(async () => {
    await postgres.service.resume();
    await stopAllTargets();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('buggy hangs while the database is frozen and answers only after it resumes; fixed fails fast from its breaker and closes it again', async () => {
    const env = async (database: string) => ({ DATABASE_URL: await postgres.createDatabase(database), QUERY_MS: '20' });
    const [buggy, fixed] = await Promise.all([
      startTarget('upstream-hang', { variant: 'buggy', env: await env('prices_buggy') }),
      startTarget('upstream-hang', { variant: 'fixed', env: await env('prices_fixed') }),
    ]);
    expect(await price(buggy, 1)).toEqual({ status: 200, error: undefined });
    expect(await price(fixed, 1)).toEqual({ status: 200, error: undefined });

    // The whole server group stops, as the pause fault stops it: open connections freeze too.
    await postgres.service.pause();
    let resumed = false;
    const hung = Array.from({ length: 12 }, (_, i) => price(buggy, i + 1).then((answer) => ({ ...answer, afterResume: resumed })));

    // Six at once all run into the 1 s timeouts; that is past the breaker's threshold of 5.
    const timedOut = await Promise.all(Array.from({ length: 6 }, (_, i) => price(fixed, i + 1)));
    expect(timedOut.map((answer) => answer.status)).toEqual([503, 503, 503, 503, 503, 503]);
    expect(timedOut.every((answer) => /database unavailable/.test(answer.error ?? ''))).toBe(true);
    expect((await getJson(`${fixed.url}/stats`)).body.breaker).toMatchObject({ state: 'open', timesOpened: 1 });
    expect(await price(fixed, 7)).toMatchObject({ status: 503, error: expect.stringMatching(/^circuit open/) });

    // Ten connections hang on the frozen server and two callers queue behind them.
    const stuck = (await getJson(`${buggy.url}/stats`)).body;
    expect(stuck.pool).toMatchObject({ total: 10, waiting: 2 });
    expect(stuck.requests).toEqual({ ok: 1, notFound: 0, failed: 0, shed: 0 });

    resumed = true;
    await postgres.service.resume();
    // Every request the buggy variant took during the freeze is answered, but only now.
    for (const answer of await Promise.all(hung)) expect(answer).toEqual({ status: 200, error: undefined, afterResume: true });

    expect(await waitFor(async () => (await price(fixed, 8)).status === 200, 15_000)).toBe(true);
    expect((await getJson(`${fixed.url}/stats`)).body.breaker).toMatchObject({ state: 'closed', failuresInARow: 0 });
  }, 60_000);

  it('fixed does not count a missing sku against the breaker, and both variants exit 0 on SIGTERM', async () => {
    const fixed = await startTarget('upstream-hang', { variant: 'fixed', env: { DATABASE_URL: await postgres.createDatabase('prices_missing'), QUERY_MS: '1' } });
    for (let i = 0; i < 6; i++) expect((await price(fixed, 5000 + i)).status).toBe(404);
    expect((await getJson(`${fixed.url}/stats`)).body.breaker).toMatchObject({ state: 'closed', timesOpened: 0 });
    expect(await fixed.stop()).toEqual({ code: 0, signal: null });
    const buggy = await startTarget('upstream-hang', { variant: 'buggy', env: { DATABASE_URL: await postgres.createDatabase('prices_stop') } });
    expect(await buggy.stop()).toEqual({ code: 0, signal: null });
  }, 30_000);
});
