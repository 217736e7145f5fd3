import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { getJson, startTarget, stopAllTargets, type RunningTarget } from '../helpers/targets.js';

const account = async (target: RunningTarget, id: number) => (await getJson<{ error?: string }>(`${target.url}/accounts/${id}`)).status;

async function checkpoint(postgres: TestPostgres): Promise<void> {
  const client = new pg.Client({ connectionString: postgres.url() });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

describe('db-restart target', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterEach(stopAllTargets);
  afterAll(async () => {
    await postgres?.stop();
  });

  it('after the database is killed and restarted, fixed answers again while buggy, out of retries, fails every request for good', async () => {
    const [buggy, fixed] = await Promise.all([
      startTarget('db-restart', { variant: 'buggy', env: { DATABASE_URL: await postgres.createDatabase('accounts_buggy') } }),
      startTarget('db-restart', { variant: 'fixed', env: { DATABASE_URL: await postgres.createDatabase('accounts_fixed') } }),
    ]);
    expect([await account(buggy, 1), await account(fixed, 1)]).toEqual([200, 200]);

    // The throwaway server commits asynchronously (synchronous_commit off), so a crash may lose the
    // last fraction of a second: the schema the targets just created is made durable first.
    await checkpoint(postgres);
    // A crash of the whole server group, as the kill fault does it.
    postgres.service.kill('SIGKILL');
    await postgres.service.exited;
    // While it is down: fixed retries within its budget and then answers 503; buggy fails at once.
    expect(await account(fixed, 2)).toBe(503);
    expect(await account(buggy, 2)).toBe(500);
    // The buggy variant's three reconnects (about 1.4 s) are over before the database is back.
    expect(await waitFor(async () => (await getJson(`${buggy.url}/stats`)).body.db === 'gave-up', 10_000, 100)).toBe(true);

    await postgres.service.restart();
    expect(await waitFor(async () => (await account(fixed, 3)) === 200, 20_000)).toBe(true);
    // The database answers the fixed variant, the data survived, and the buggy variant still fails.
    for (let id = 4; id < 9; id++) expect([await account(fixed, id), await account(buggy, id)]).toEqual([200, 500]);
    expect((await getJson(`${buggy.url}/stats`)).body).toMatchObject({ db: 'gave-up', requests: { ok: 1, failed: 6 } });
    expect(buggy.stderr()).toContain('giving up on the database');
  }, 60_000);

  it('both variants exit 0 on SIGTERM', async () => {
    const [buggy, fixed] = await Promise.all([
      startTarget('db-restart', { variant: 'buggy', env: { DATABASE_URL: await postgres.createDatabase('accounts_stop_buggy') } }),
      startTarget('db-restart', { variant: 'fixed', env: { DATABASE_URL: await postgres.createDatabase('accounts_stop_fixed') } }),
    ]);
    expect(await Promise.all([buggy.stop(), fixed.stop()])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  }, 30_000);
});
