import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { dependencyKinds } from '../../src/runtime/dependencies/index.js';
import { isAlive } from '../helpers/processes.js';

const hasRedis = (() => {
  try {
    return execSync('command -v redis-server', { stdio: 'pipe' }).length > 0;
  } catch {
    return false;
  }
})();

describe('dependencies soak owns', () => {
  let workDir: string;
  let resources: Resources;
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'soak-deps-'));
    resources = new Resources();
  });
  afterEach(async () => {
    await resources.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('starts a throwaway PostgreSQL, runs the init SQL, and removes it and its data afterwards', async () => {
    const kind = dependencyKinds.get('postgres');
    const options = kind.schema.parse({ init: 'CREATE TABLE seen (id int primary key); INSERT INTO seen VALUES (1), (2);' });
    const instance = await kind.start({ name: 'postgres', options, resources, runId: 'test', workDir });
    expect(instance.env.DATABASE_URL).toMatch(/^postgres:\/\/postgres:soak@127\.0\.0\.1:\d+\/soak$/);
    const client = new pg.Client({ connectionString: instance.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM seen');
    await client.end();
    expect(rows[0].n).toBe(2);

    const dataDir = (await import('node:fs')).readFileSync(`/proc/${instance.handle.pid}/cmdline`, 'utf8').split('\0')[2]!;
    expect(existsSync(dataDir)).toBe(true);
    await resources.close();
    expect(isAlive(instance.handle.pid)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.skipIf(!hasRedis)('starts a throwaway Redis that answers PING', async () => {
    const kind = dependencyKinds.get('redis');
    const instance = await kind.start({ name: 'redis', options: kind.schema.parse({}), resources, runId: 'test', workDir });
    const socket = (await import('node:net')).connect(instance.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve) => {
      socket.once('data', (data) => resolve(data.toString()));
      socket.write('PING\r\n');
    });
    socket.destroy();
    expect(reply).toBe('+PONG\r\n');
  });
});
