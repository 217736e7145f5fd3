import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { faultKinds, proxiesFor, type FaultContext } from '../../src/faults/index.js';
import type { ContainerService } from '../../src/runtime/docker/container.js';
import { dockerDependencyKinds } from '../../src/runtime/docker/index.js';
import type { DependencyInstance } from '../../src/runtime/types.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import { skipReason, soakLabelled } from '../helpers/docker.js';
import { waitFor } from '../helpers/processes.js';

const reason = await skipReason('docker dependency tests');

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Resolves to what the query gave, or "pending" if it has not answered within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);
}

/** Starts one fault the way the scheduler does, from scenario-style options. */
function begin(kind: string, options: Record<string, unknown>, context: FaultContext) {
  const fault = faultKinds.get(kind);
  return fault.begin(parseOrThrow(fault.schema, options, `faults "${kind}".`), context);
}

describe.skipIf(reason)('dependencies in containers, and faults on them', () => {
  const resources = new Resources();
  const workDir = mkdtempSync(join(tmpdir(), 'soak-docker-deps-'));
  let postgres: DependencyInstance;
  let handle: ContainerService;
  let context: FaultContext;
  const clients: pg.Client[] = [];
  const client = async () => {
    const opened = await connect(postgres.env.DATABASE_URL!);
    clients.push(opened);
    return opened;
  };

  beforeAll(async () => {
    const kind = dockerDependencyKinds.get('postgres');
    const options = kind.schema.parse({ init: 'CREATE TABLE seen (id int primary key); INSERT INTO seen VALUES (1), (2);' });
    postgres = await kind.start({ name: 'postgres', options, resources, runId: 'docker-deps-test', workDir });
    handle = postgres.handle as ContainerService;
    context = { services: new Map([['postgres', handle]]), proxies: new Map(), signal: new AbortController().signal, runId: 'docker-deps-test' };
  });
  afterAll(async () => {
    await Promise.all(clients.map((opened) => opened.end().catch(() => {})));
    await resources.close();
    rmSync(workDir, { recursive: true, force: true });
    expect(await soakLabelled()).toEqual([]);
  });

  it('starts PostgreSQL in a container on a loopback port and runs the init SQL', async () => {
    expect(postgres.env.DATABASE_URL).toMatch(/^postgres:\/\/postgres:soak@127\.0\.0\.1:\d+\/soak$/);
    const { rows } = await (await client()).query('SELECT count(*)::int AS n FROM seen');
    expect(rows[0].n).toBe(2);
  });

  it('pause freezes open connections and new ones; the end of the fault thaws both', async () => {
    const open = await client();
    const fault = await begin('pause', { target: 'postgres', duration: '5s' }, context);
    const stalled = open.query('SELECT count(*)::int AS n FROM seen');
    expect(await within(stalled, 800)).toBe('pending');
    await expect(connect(postgres.env.DATABASE_URL!)).rejects.toThrow();
    await fault.end();
    expect((await stalled).rows[0].n).toBe(2);
  });

  it('a latency fault acts through the loopback fault proxy in front of the container', async () => {
    const latency = { kind: 'latency', name: 'slow-db', atMs: 0, options: parseOrThrow(faultKinds.get('latency').schema, { target: 'postgres', latency: '300ms' }, '') };
    const proxies = await proxiesFor([latency], [postgres]);
    try {
      const viaProxy = await connect(proxies.env.DATABASE_URL!);
      clients.push(viaProxy);
      const fault = await begin('latency', { target: 'postgres', latency: '300ms' }, { ...context, proxies: proxies.proxies });
      const started = performance.now();
      await viaProxy.query('SELECT 1');
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      await fault.end();
    } finally {
      await proxies.close();
    }
  });

  it('starve caps the container CPU (docker update) and lifts the cap at its end', async () => {
    const busy = await client();
    await busy.query("SET statement_timeout = '4s'");
    const fault = await begin('starve', { target: 'postgres', duration: '5s', cpu: 0.2 }, context);
    expect((await handle.container.inspect()).HostConfig.CpuQuota).toBe(20_000);
    const spinning = busy.query('SELECT count(*) FROM generate_series(1, 1000000000)').catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await handle.resourceSample();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const starved = await handle.resourceSample();
    // A CFS quota of 20 ms per 100 ms is a ceiling, whatever else the machine does.
    expect(starved!.cpuPercent).toBeLessThanOrEqual(30);
    expect(await spinning).toBeInstanceOf(Error);
    await fault.end();
    expect((await handle.container.inspect()).HostConfig.CpuQuota).not.toBe(20_000);
  });

  it('starve with memory (and memory+swap) gets a backend that allocates past it killed; queries work again after', async () => {
    const fault = await begin('starve', { target: 'postgres', duration: '5s', memory: '96m' }, context);
    const host = (await handle.container.inspect()).HostConfig;
    expect([host.Memory, host.MemorySwap]).toEqual([96 * 1024 ** 2, 96 * 1024 ** 2]);
    const greedy = await client();
    await expect(greedy.query("SELECT length(repeat('x', 400000000))")).rejects.toThrow();
    await fault.end();
    const recovered = async () => {
      try {
        const { rows } = await (await client()).query('SELECT count(*)::int AS n FROM seen');
        return rows[0].n === 2;
      } catch {
        return false;
      }
    };
    expect(await waitFor(recovered, 20_000, 250)).toBe(true);
    // The same allocation fits once the cap is lifted: it was the cap that killed it.
    expect((await (await client()).query("SELECT length(repeat('x', 400000000)) AS n")).rows[0].n).toBe(400_000_000);
  });

  it('kill stops the container as soak\'s doing; restart brings the same server back on the same port', async () => {
    const port = postgres.port;
    const exits: boolean[] = [];
    handle.onExit((exit) => exits.push(exit.expected));
    const fault = await begin('kill', { target: 'postgres', restartAfter: '1s' }, context);
    expect(await handle.exited).toMatchObject({ signal: 'SIGKILL', expected: true });
    await expect(connect(postgres.env.DATABASE_URL!)).rejects.toThrow();
    await fault.end();
    expect(handle.port).toBe(port);
    const back = async () => {
      try {
        return (await (await client()).query('SELECT count(*)::int AS n FROM seen')).rows[0].n === 2;
      } catch {
        return false;
      }
    };
    // The data lives in the container, which is started again rather than replaced.
    expect(await waitFor(back, 20_000, 250)).toBe(true);
    expect(exits).toEqual([true]);
  });

  it('starts Redis in a container that answers PING', async () => {
    const kind = dockerDependencyKinds.get('redis');
    const redis = await kind.start({ name: 'redis', options: kind.schema.parse({}), resources, runId: 'docker-deps-test', workDir });
    const socket = (await import('node:net')).connect(redis.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve) => {
      socket.once('data', (data) => resolve(data.toString()));
      socket.write('PING\r\n');
    });
    socket.destroy();
    expect(reply).toBe('+PONG\r\n');
  });
});
