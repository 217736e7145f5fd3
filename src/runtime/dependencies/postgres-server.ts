import pg from 'pg';
import { z } from 'zod';
import { SoakError } from '../../core/errors.js';
import { durationMs } from '../../core/fields.js';
import type { DependencyInstance, ServiceHandle } from '../types.js';

/** What a scenario may say about its PostgreSQL, whichever runtime runs it. */
export const postgresOptionsSchema = z
  .object({
    database: z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'expected a lowercase SQL identifier' }).default('soak'),
    /** SQL run once the server is up, before the targets start (schema, seed rows). */
    init: z.string().optional(),
    /** Extra server settings, e.g. { max_connections: '20' }. */
    settings: z.record(z.string(), z.string()).default({}),
    ready: z.object({ timeout: durationMs.default(30_000) }).strict().default({ timeout: 30_000 }),
  })
  .strict();

export type PostgresOptions = z.infer<typeof postgresOptionsSchema>;

export const POSTGRES_USER = 'postgres';
export const POSTGRES_PASSWORD = 'soak';

/** Settings every throwaway server gets: loopback only, and no durability a test run would pay for. */
export function serverSettings(options: PostgresOptions): Record<string, string> {
  return { listen_addresses: '127.0.0.1', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', ...options.settings };
}

/** The port accepts connections before recovery ends; ready means a query answers. */
async function waitForQueries(url: string, timeoutMs: number, gone: Promise<unknown>): Promise<boolean> {
  let exited = false;
  void gone.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (!exited && Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
  return false;
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Once a server runs on 127.0.0.1:port: waits until it answers queries, creates the database,
 * runs the init SQL, and describes the dependency with the env vars targets get.
 */
export async function openPostgres(request: { name: string; options: PostgresOptions; handle: ServiceHandle; port: number }): Promise<DependencyInstance> {
  const { name, options, handle, port } = request;
  const adminUrl = `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (!(await waitForQueries(adminUrl, options.ready.timeout, handle.exited))) {
    const exit = await Promise.race([handle.exited, Promise.resolve(undefined)]);
    throw new SoakError('dependency', `postgres "${name}" did not accept queries within ${options.ready.timeout / 1000}s${exit?.stderrTail.at(-1) ? `: ${exit.stderrTail.at(-1)}` : ''}`);
  }
  await runSql(adminUrl, `CREATE DATABASE ${options.database}`);
  const urlAt = (at: number) => `postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${at}/${options.database}`;
  if (options.init) {
    await runSql(urlAt(port), options.init).catch((error: Error) => {
      throw new SoakError('scenario', `dependencies "${name}".init: ${error.message}`);
    });
  }
  const prefix = name === 'postgres' ? '' : `${name.toUpperCase().replace(/-/g, '_')}_`;
  const envFor = (at: number) => ({
    [`${prefix}DATABASE_URL`]: urlAt(at),
    ...(prefix === '' ? { PGHOST: '127.0.0.1', PGPORT: String(at), PGUSER: POSTGRES_USER, PGPASSWORD: POSTGRES_PASSWORD, PGDATABASE: options.database } : {}),
  });
  return { name, kind: 'postgres', handle, host: '127.0.0.1', port, env: envFor(port), envFor };
}
