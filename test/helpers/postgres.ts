import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Resources } from '../../src/core/cleanup.js';
import { postgresDependency } from '../../src/runtime/dependencies/postgres.js';
import type { ServiceHandle } from '../../src/runtime/types.js';

export interface TestPostgres {
  port: number;
  /** The server's process group, to pause, resume, kill and restart as soak's faults do. */
  service: ServiceHandle;
  /** Connection URL for a database on this server. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL: one per target keeps tests from sharing tables. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its data dir. */
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL started the way a run starts one (soak's postgres dependency), on a free loopback port. */
export async function startPostgres(): Promise<TestPostgres> {
  const workDir = mkdtempSync(join(tmpdir(), 'soak-test-pg-'));
  const resources = new Resources();
  resources.add('remove test postgres logs', () => rmSync(workDir, { recursive: true, force: true }));
  const options = postgresDependency.schema.parse({});
  let instance;
  try {
    instance = await postgresDependency.start({ name: 'postgres', options, resources, runId: `test-${process.pid}`, workDir });
  } catch (error) {
    await resources.close();
    throw error;
  }
  const base = new URL(instance.env.DATABASE_URL!);
  const url = (database = 'postgres') => {
    const target = new URL(base);
    target.pathname = `/${database}`;
    return target.toString();
  };
  return {
    port: instance.port,
    service: instance.handle,
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
    stop: () => resources.close(),
  };
}
