import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { preloadPath, probeEnv, startProbeCollector, type ProbeCollector } from '../../src/probe/index.js';
import type { NodeProbeSample } from '../../src/store/records.js';

function sample(pid: number): NodeProbeSample {
  return {
    source: 'node',
    t: 1_000_000 + pid,
    service: 'api',
    pid,
    memory: { heapUsed: 1, heapTotal: 2, rss: 3, external: 0, arrayBuffers: 0 },
    heapLimit: 10,
    gc: {},
    eventLoop: { min: 0, mean: 0, p50: 0, p99: 0, max: 0, utilization: 0 },
    handles: {},
    cpu: { user: 0, system: 0 },
  };
}

function open(collector: ProbeCollector): Promise<Socket> {
  const [host, port] = collector.address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) }, () => resolve(socket));
    socket.on('error', reject);
  });
}

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('probe collector', () => {
  let collector: ProbeCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('listens on loopback and passes on whole samples, across split writes and several peers', async () => {
    const received: NodeProbeSample[] = [];
    collector = await startProbeCollector((got) => received.push(got));
    expect(collector.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const [a, b] = await Promise.all([open(collector), open(collector)]);
    const line = `${JSON.stringify(sample(1))}\n`;
    a.write(line.slice(0, 40));
    b.write(`${JSON.stringify(sample(2))}\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    a.write(line.slice(40) + JSON.stringify(sample(3)) + '\n' + JSON.stringify(sample(4)).slice(0, 10));
    await until(() => received.length >= 3);
    expect(received.map((got) => got.pid).sort()).toEqual([1, 2, 3]);
    expect(received.find((got) => got.pid === 1)).toEqual(sample(1));
    a.destroy();
    b.destroy();
  });

  it('skips lines that are not samples, and any over-long line, without dropping the peer', async () => {
    const received: NodeProbeSample[] = [];
    collector = await startProbeCollector((got) => received.push(got));
    const socket = await open(collector);
    socket.write('not json\n{"source":"os","t":1}\n[1,2]\nnull\n{"source":"node","t":"later"}\n');
    socket.write(`{"source":"node","pad":"${'x'.repeat(600_000)}"}\n`);
    socket.write(`${JSON.stringify(sample(7))}\n`);
    await until(() => received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((got) => got.pid)).toEqual([7]);
    socket.destroy();
  });

  it('closes while probes are still connected', async () => {
    collector = await startProbeCollector(() => {});
    const socket = await open(collector);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await collector.close();
    collector = undefined;
    await expect(closed).resolves.toBe(false);
  });

  it('builds the env that loads the compiled preload, keeping existing NODE_OPTIONS', () => {
    expect(existsSync(preloadPath)).toBe(true);
    expect(preloadPath).toMatch(/dist\/probe\/preload\.cjs$/);
    expect(probeEnv('127.0.0.1:4000', 'api', 500)).toEqual({
      SOAK_PROBE: '127.0.0.1:4000',
      SOAK_SERVICE: 'api',
      SOAK_PROBE_INTERVAL_MS: '500',
      NODE_OPTIONS: `--require "${preloadPath}"`,
    });
    expect(probeEnv('127.0.0.1:4000', 'api', 500, '--max-old-space-size=256').NODE_OPTIONS).toBe(`--max-old-space-size=256 --require "${preloadPath}"`);
  });
});
