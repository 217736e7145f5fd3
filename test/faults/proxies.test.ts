import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { faultKinds, proxiesFor } from '../../src/faults/index.js';
import { dependencyKinds } from '../../src/runtime/dependencies/index.js';
import type { DependencyInstance } from '../../src/runtime/types.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { FaultConfig } from '../../src/scenario/types.js';
import { isListening } from './tcp.js';

function fault(kind: string, name: string, options: Record<string, unknown>): FaultConfig {
  return { kind, name, atMs: 0, options: parseOrThrow(faultKinds.get(kind).schema, options, `faults "${name}"`) };
}

async function timedQuery(client: pg.Client): Promise<number> {
  const started = performance.now();
  await client.query('SELECT 1');
  return performance.now() - started;
}

describe('fault proxies in front of real dependencies', () => {
  let resources: Resources;
  let workDir: string;
  let postgres: DependencyInstance;
  let client: pg.Client | undefined;

  beforeEach(async () => {
    resources = new Resources();
    workDir = mkdtempSync(join(tmpdir(), 'soak-proxies-'));
    const kind = dependencyKinds.get('postgres');
    postgres = await kind.start({ name: 'postgres', options: kind.schema.parse({}), resources, runId: 'faults-test', workDir });
  });
  afterEach(async () => {
    await client?.end().catch(() => {});
    client = undefined;
    await resources.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('proxies only dependencies a network fault targets, points their env at the proxy, and adds its latency to queries', async () => {
    const faults = [fault('latency', 'slow-db', { target: 'postgres', latency: '200ms' }), fault('pause', 'freeze', { target: 'postgres' })];
    const other: DependencyInstance = { ...postgres, name: 'replica', envFor: () => ({ REPLICA_URL: 'unused' }) };
    const proxied = await proxiesFor(faults, [postgres, other]);
    resources.add('fault proxies', () => proxied.close());
    const proxy = proxied.proxies.get('postgres')!;
    expect([...proxied.proxies.keys()]).toEqual(['postgres']);
    expect(proxied.env).toMatchObject({ DATABASE_URL: `postgres://postgres:soak@127.0.0.1:${proxy.port}/soak`, PGPORT: String(proxy.port) });
    expect(proxied.env.REPLICA_URL).toBeUndefined();

    client = new pg.Client({ connectionString: proxied.env.DATABASE_URL });
    client.on('error', () => {});
    await client.connect();
    const direct = await timedQuery(client);
    const active = await faultKinds.get('latency').begin(faults[0]!.options, { services: new Map(), proxies: proxied.proxies, signal: new AbortController().signal, runId: 'test' });
    const delayed = await timedQuery(client);
    await active.end();
    expect(delayed - direct).toBeGreaterThanOrEqual(190);
    expect(await timedQuery(client)).toBeLessThan(150);

    await proxied.close();
    expect(await isListening(proxy.port)).toBe(false);
  });

  it('pause freezes queries on connections already open, because the whole postgres group stops', async () => {
    client = new pg.Client({ connectionString: postgres.env.DATABASE_URL });
    client.on('error', () => {});
    await client.connect();
    const context = { services: new Map([['postgres', postgres.handle]]), proxies: new Map(), signal: new AbortController().signal, runId: 'test' };
    const active = await faultKinds.get('pause').begin(fault('pause', 'freeze', { target: 'postgres' }).options, context);
    const query = client.query('SELECT 1').then(() => performance.now());
    const pausedAt = performance.now();
    const settledEarly = await Promise.race([query.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 500))]);
    await active.end();
    expect(settledEarly).toBe(false);
    expect((await query) - pausedAt).toBeGreaterThanOrEqual(450);
  });

  it('names a network fault target that is not a dependency', async () => {
    await expect(proxiesFor([fault('reset', 'cut', { target: 'redis' })], [postgres])).rejects.toThrow('faults "cut": target: no dependency named "redis"; network faults act on a dependency (postgres)');
  });
});
