import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/faults/proxy/index.js';
import { dial, echo, howItEnds, isListening, receive, roundTrip, sleep, tcpServer } from './tcp.js';

describe('fault proxy', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  async function echoBehindProxy(): Promise<{ proxy: FaultProxy; echoPort: number }> {
    const server = await tcpServer(echo);
    cleanups.push(() => server.close());
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: server.port });
    cleanups.push(() => proxy.close());
    return { proxy, echoPort: server.port };
  }

  async function open(port: number): Promise<Socket> {
    const socket = await dial(port);
    socket.on('error', () => {});
    cleanups.push(() => void socket.destroy());
    return socket;
  }

  async function medianRoundTrip(socket: Socket, samples = 5): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push(await roundTrip(socket));
    return times.sort((a, b) => a - b)[Math.floor(samples / 2)]!;
  }

  it('carries 8 MB each way unchanged and in order', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'latency', latencyMs: 5, jitterMs: 5, direction: 'both' });
    const socket = await open(proxy.port);
    const payload = randomBytes(8 << 20);
    const received = receive(socket, payload.length, 30_000);
    socket.write(payload);
    expect((await received).equals(payload)).toBe(true);
  });

  it('adds the configured latency to a round trip, compared with the echo server reached directly', async () => {
    const { proxy, echoPort } = await echoBehindProxy();
    const direct = await medianRoundTrip(await open(echoPort));
    const through = await open(proxy.port);
    const id = proxy.addToxic({ type: 'latency', latencyMs: 150 });
    const delayed = await medianRoundTrip(through);
    expect(delayed - direct).toBeGreaterThanOrEqual(145);
    expect(delayed - direct).toBeLessThan(400);
    proxy.removeToxic(id);
    expect(await medianRoundTrip(through)).toBeLessThan(100);
  });

  it('keeps messages in order under heavy jitter', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'latency', latencyMs: 30, jitterMs: 30, direction: 'both' });
    const socket = await open(proxy.port);
    const lines = Array.from({ length: 200 }, (_, i) => `${i}\n`).join('');
    const received = receive(socket, lines.length);
    for (const line of lines.split(/(?<=\n)/)) {
      socket.write(line);
      await sleep(1);
    }
    expect((await received).toString()).toBe(lines);
  });

  it('limits bandwidth to the configured rate', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'bandwidth', rateKBps: 200 });
    const socket = await open(proxy.port);
    const payload = randomBytes(100_000);
    const started = performance.now();
    const received = receive(socket, payload.length, 10_000);
    socket.write(payload);
    expect((await received).length).toBe(payload.length);
    // 100 KB at 200 KB/s is 0.5 s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('timeout holds data while it applies and lets it through, intact, once removed', async () => {
    const { proxy } = await echoBehindProxy();
    const socket = await open(proxy.port);
    const id = proxy.addToxic({ type: 'timeout' });
    const received = receive(socket, 5, 5000);
    socket.write('hello');
    await sleep(300);
    expect(socket.bytesRead).toBe(0);
    proxy.removeToxic(id);
    expect((await received).toString()).toBe('hello');
  });

  it('timeout with a time limit closes the connection after it', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'timeout', timeoutMs: 200 });
    const socket = await open(proxy.port);
    socket.write('hello');
    const started = performance.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(socket.bytesRead).toBe(0);
  });

  it('stops reading a held client instead of buffering without bound', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'timeout', direction: 'upstream' });
    const socket = await open(proxy.port);
    socket.write(Buffer.alloc(64 << 20));
    await sleep(500);
    // The proxy holds about 1 MB; the kernel's buffers hold some more; the rest stays with the sender.
    expect(socket.writableLength).toBeGreaterThan(16 << 20);
  });

  it('reset sends a TCP RST on open connections and on new ones', async () => {
    const { proxy } = await echoBehindProxy();
    const existing = await open(proxy.port);
    const ended = howItEnds(existing, 2000);
    proxy.addToxic({ type: 'reset' });
    expect(await ended).toBe('reset');
    const fresh = await open(proxy.port);
    expect(await howItEnds(fresh, 2000)).toBe('reset');
  });

  it('blackhole drops data silently but keeps the connection open', async () => {
    const { proxy } = await echoBehindProxy();
    const socket = await open(proxy.port);
    const id = proxy.addToxic({ type: 'blackhole' });
    socket.write('lost');
    expect(await howItEnds(socket, 300)).toBe('open');
    expect(socket.bytesRead).toBe(0);
    proxy.removeToxic(id);
    const received = receive(socket, 5);
    socket.write('found');
    expect((await received).toString()).toBe('found');
  });

  it('slow-close passes the dependency close on only after the delay', async () => {
    const server = await tcpServer((socket) => socket.end('bye'));
    cleanups.push(() => server.close());
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: server.port });
    cleanups.push(() => proxy.close());
    proxy.addToxic({ type: 'slow-close', delayMs: 400 });
    const started = performance.now();
    const socket = await open(proxy.port);
    expect((await receive(socket, 3)).toString()).toBe('bye');
    expect(await howItEnds(socket, 3000)).toBe('end');
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('limit-data closes the connection after exactly the allowed bytes', async () => {
    const { proxy } = await echoBehindProxy();
    proxy.addToxic({ type: 'limit-data', bytes: 1000 });
    const socket = await open(proxy.port);
    const received = receive(socket, 10_000, 3000);
    socket.write(Buffer.alloc(5000, 1));
    expect((await received).length).toBe(1000);
  });

  it('never applies a toxic with toxicity 0 and always one with toxicity 1', async () => {
    const { proxy } = await echoBehindProxy();
    const never = proxy.addToxic({ type: 'latency', latencyMs: 300, toxicity: 0 });
    const sockets = await Promise.all(Array.from({ length: 20 }, () => open(proxy.port)));
    const fast = await Promise.all(sockets.map((socket) => roundTrip(socket)));
    expect(Math.max(...fast)).toBeLessThan(250);
    proxy.removeToxic(never);
    proxy.addToxic({ type: 'latency', latencyMs: 300, toxicity: 1 });
    const slow = await Promise.all(sockets.map((socket) => roundTrip(socket)));
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(295);
  });

  it('close destroys every connection and stops listening', async () => {
    const { proxy } = await echoBehindProxy();
    const socket = await open(proxy.port);
    await roundTrip(socket);
    expect(proxy.connections()).toBe(1);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await proxy.close();
    await closed;
    expect(await isListening(proxy.port)).toBe(false);
  });

  it('refuses an upstream that is not loopback', async () => {
    await expect(startFaultProxy({ host: '10.0.0.1', port: 5432 })).rejects.toThrow('not a loopback address');
  });
});
