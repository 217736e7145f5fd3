import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { probeEnv } from '../../src/probe/index.js';
import { localRuntime } from '../../src/runtime/local.js';
import { freePort } from '../../src/runtime/ports.js';
import { exitWithin, fixture, ProbeHarness, samplesUntil } from './probed.js';

const MB = 1024 * 1024;

describe('node probe preload', () => {
  let harness: ProbeHarness;

  beforeAll(async () => {
    harness = await ProbeHarness.start();
  });
  afterEach(() => harness.killChildren());
  afterAll(() => harness?.close());

  it('sends a sample every interval with sane memory, cpu, loop and heap-limit figures', async () => {
    const target = harness.spawn('idle.cjs', { intervalMs: 200 });
    const samples = await samplesUntil(target, (got) => got.length >= 5);
    expect(samples.length).toBeGreaterThanOrEqual(5);
    const gaps = samples.slice(1).map((sample, i) => sample.t - samples[i]!.t);
    // One sample per interval, none lost or doubled (loose bounds: the machine is shared).
    for (const gap of gaps) expect(gap).toBeGreaterThan(100);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(600);
    for (const sample of samples) {
      expect(sample).toMatchObject({ source: 'node', service: 'target', pid: target.pid });
      expect(sample.memory.heapUsed).toBeGreaterThan(MB);
      expect(sample.memory.heapUsed).toBeLessThanOrEqual(sample.memory.heapTotal);
      expect(sample.memory.rss).toBeGreaterThan(sample.memory.heapUsed);
      expect(sample.heapLimit).toBeGreaterThan(sample.memory.heapTotal);
      expect(sample.cpu.user).toBeGreaterThanOrEqual(0);
      expect(sample.eventLoop.utilization).toBeGreaterThanOrEqual(0);
      expect(sample.eventLoop.utilization).toBeLessThanOrEqual(1);
      expect(sample.eventLoop.max).toBeLessThan(200);
    }
    // The target's one interval timer; the probe's own unref'd timer and socket are not counted.
    expect(samples.at(-1)!.handles).toEqual({ Timeout: 1 });
  });

  it('shows a retained heap growing, with the heap after each forced major GC', async () => {
    const target = harness.spawn('retain.cjs', { intervalMs: 250, nodeArgs: ['--expose-gc'] });
    const samples = await samplesUntil(target, (got) => got.filter((sample) => sample.postGcHeap !== undefined).length >= 6);
    const afterGc = samples.filter((sample) => sample.postGcHeap !== undefined);
    expect(afterGc.length).toBeGreaterThanOrEqual(6);
    expect(afterGc.at(-1)!.postGcHeap! - afterGc[0]!.postGcHeap!).toBeGreaterThan(5 * MB);
    expect(samples.at(-1)!.memory.heapUsed - samples[0]!.memory.heapUsed).toBeGreaterThan(5 * MB);
    expect(afterGc[0]!.gc.major!.count).toBeGreaterThanOrEqual(1);
    expect(afterGc[0]!.gc.major!.pauseMs).toBeGreaterThan(0);
  });

  it('reports a 300 ms block of the event loop as its max delay', async () => {
    const target = harness.spawn('block.cjs', { intervalMs: 200 });
    const samples = await samplesUntil(target, (got) => got.some((sample) => sample.eventLoop.max >= 250));
    const worst = Math.max(...samples.map((sample) => sample.eventLoop.max));
    expect(worst).toBeGreaterThanOrEqual(250);
    expect(worst).toBeLessThan(2000);
  });

  it('counts leaked interval timers in handles.Timeout', async () => {
    const target = harness.spawn('timers.cjs', { intervalMs: 200 });
    const samples = await samplesUntil(target, (got) => (got.at(-1)?.handles.Timeout ?? 0) >= 15);
    const timeouts = samples.map((sample) => sample.handles.Timeout ?? 0);
    expect(timeouts.at(-1)).toBeGreaterThanOrEqual(15);
    expect(timeouts.at(-1)!).toBeGreaterThan(timeouts[0]!);
  });

  it('reports a pool registered through soak-harness/probe, with its acquire waits per interval', async () => {
    const target = harness.spawn('own-pool.cjs', { intervalMs: 250 });
    const samples = await samplesUntil(target, (got) => got.filter((sample) => sample.pools?.jobs).length >= 3);
    const pools = samples.flatMap((sample) => (sample.pools?.jobs ? [sample.pools.jobs] : []));
    expect(pools.length).toBeGreaterThanOrEqual(3);
    expect(pools[1]).toMatchObject({ total: 5, idle: 1, acquireTimeout: 1500, acquireWaitP99: 40, acquireWaitMax: 40 });
    expect(pools[1]!.acquires).toBeGreaterThan(0);
    // waiting is read at each sample: it grows as the target's queue does.
    expect(pools.at(-1)!.waiting).toBeGreaterThan(pools[0]!.waiting);
  });

  it('never keeps a target alive: it exits on its own when its work is done', async () => {
    const target = harness.spawn('short.cjs', { intervalMs: 100 });
    expect(await exitWithin(target, 5000)).toEqual({ code: 0, signal: null });
  });

  it('lets a target run and exit normally when no collector listens', async () => {
    const target = harness.spawn('short.cjs', { probeAddress: `127.0.0.1:${await freePort()}`, intervalMs: 50 });
    expect(await exitWithin(target, 5000)).toEqual({ code: 0, signal: null });
    expect(target.stderr()).toBe('');
  });

  it('keeps the pool API a no-op when the probe is not loaded', async () => {
    const target = harness.spawn('without-probe.cjs', { probe: false });
    expect(await exitWithin(target, 5000)).toEqual({ code: 0, signal: null });
    expect(target.stderr()).toBe('');
  });

  it('probes a service started through the tsx launcher once: the service, not the launcher', async () => {
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const earlier = harness.all.length;
    const launcher = harness.spawn('idle.ts', { nodeArgs: [tsx], intervalMs: 200 });
    const samples = () => harness.all.slice(earlier);
    const deadline = Date.now() + 10_000;
    while (samples().length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(samples().length).toBeGreaterThanOrEqual(6);
    const pids = new Set(samples().map((sample) => sample.pid));
    expect(pids.size).toBe(1);
    expect(pids.has(launcher.pid)).toBe(false);
  });

  it('probes a service of the local runtime, not the process guard between soak and it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-probe-'));
    const resources = new Resources();
    try {
      const earlier = harness.all.length;
      const service = await localRuntime.start({
        name: 'target',
        options: { cmd: `node ${fixture('idle.cjs')}` },
        env: probeEnv(harness.collector.address, 'target', 200),
        stdoutFile: join(dir, 'stdout.log'),
        stderrFile: join(dir, 'stderr.log'),
        resources,
        runId: 'probe-test',
        allowRemote: false,
      });
      const deadline = Date.now() + 8000;
      while (harness.all.length - earlier < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(new Set(harness.all.slice(earlier).map((sample) => sample.pid))).toEqual(new Set([service.pid]));
    } finally {
      await resources.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects to a collector that comes up after the target started', async () => {
    const port = await freePort();
    const target = harness.spawn('idle.cjs', { probeAddress: `127.0.0.1:${port}`, intervalMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let received = '';
    const sockets = new Set<Socket>();
    const late = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (data: Buffer) => (received += data.toString()));
    });
    await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve));
    try {
      const deadline = Date.now() + 8000;
      while (!received.includes('\n') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(JSON.parse(received.slice(0, received.indexOf('\n')))).toMatchObject({ source: 'node', pid: target.pid });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => late.close(resolve));
    }
  });
});
