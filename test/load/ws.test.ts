import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsDriver, wsOptionsSchema } from '../../src/load/ws/index.js';
import type { Phase } from '../../src/load/types.js';
import { freePort } from '../../src/runtime/index.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { LoadInterval } from '../../src/store/records.js';

interface TestServer {
  baseUrl: string;
  /** Connections accepted, closed, and the messages each closed connection had received. */
  accepted: number;
  closed: number;
  messagesPerClosed: number[];
  open(): number;
  close(): Promise<void>;
}

async function wsServer(onConnection: (socket: WebSocket) => void = () => {}): Promise<TestServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  await new Promise((resolve) => server.once('listening', resolve));
  const state: TestServer = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted: 0,
    closed: 0,
    messagesPerClosed: [],
    open: () => server.clients.size,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket) => {
    state.accepted += 1;
    let messages = 0;
    socket.on('message', () => (messages += 1));
    socket.on('close', () => {
      state.closed += 1;
      state.messagesPerClosed.push(messages);
    });
    onConnection(socket);
  });
  return state;
}

const pingPong = (delayMs: number) => (socket: WebSocket) =>
  socket.on('message', (data) => {
    const { id } = JSON.parse(data.toString()) as { id: string };
    setTimeout(() => socket.send(JSON.stringify({ type: 'pong', id })), delayMs);
  });
const echo = (socket: WebSocket) => socket.on('message', (data) => socket.send(data));

async function drive(baseUrl: string, options: Record<string, unknown>, phases: Phase[], signal = new AbortController().signal): Promise<{ intervals: LoadInterval[]; phases: string[] }> {
  const intervals: LoadInterval[] = [];
  const started: string[] = [];
  await wsDriver.run(parseOrThrow(wsOptionsSchema, { path: '/ws', ...options }, 'load.'), {
    baseUrl,
    stream: 'ws',
    phases,
    intervalMs: 250,
    onInterval: (interval) => intervals.push(interval),
    onPhase: (phase) => started.push(phase.name),
    signal,
  });
  return { intervals, phases: started };
}

const steady = (connections: number | [number, number], durationMs: number, name = 'steady'): Phase => ({ name, kind: 'steady', durationMs, connections });
const total = (intervals: LoadInterval[], pick: (interval: LoadInterval) => number) => intervals.reduce((sum, interval) => sum + pick(interval), 0);

describe('ws load driver', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('times round trips by matching the reply id, and closes every connection at the end', async () => {
    server = await wsServer(pingPong(50));
    const { intervals, phases } = await drive(server.baseUrl, { message: { type: 'ping', id: '{{seq}}' }, expectReply: 'id', messageRate: 10 }, [steady(5, 1500)]);
    expect(phases).toEqual(['steady']);
    expect(intervals.every((interval) => interval.driver === 'ws' && interval.stream === 'ws' && interval.phase === 'steady')).toBe(true);
    const sent = total(intervals, (interval) => interval.sent);
    expect(sent).toBeGreaterThanOrEqual(40);
    expect(total(intervals, (interval) => interval.completed)).toBeGreaterThanOrEqual(sent - 10);
    expect(total(intervals, (interval) => interval.errors)).toBe(0);
    const timed = intervals.filter((interval) => interval.latency.count > 0);
    expect(Math.min(...timed.map((interval) => interval.latency.p50))).toBeGreaterThanOrEqual(45);
    expect(Math.max(...timed.map((interval) => interval.latency.p50))).toBeLessThan(500);
    expect(total(intervals, (interval) => interval.ws!.opened)).toBe(5);
    expect(Math.max(...intervals.map((interval) => interval.ws!.open))).toBe(5);
    expect(intervals.at(-1)!.ws).toMatchObject({ open: 0 });
    expect(server.open()).toBe(0);
  });

  it('never opens connections faster than connectRate', async () => {
    server = await wsServer();
    const { intervals } = await drive(server.baseUrl, { connectRate: 40 }, [steady(200, 1000)]);
    const opened = total(intervals, (interval) => interval.ws!.opened);
    // 40/s for 1 s, plus the small burst allowance.
    expect(opened).toBeGreaterThanOrEqual(20);
    expect(opened).toBeLessThanOrEqual(46);
  });

  it('follows a ramp and then holds the connections idle', async () => {
    server = await wsServer();
    const observed: number[] = [];
    const poll = setInterval(() => observed.push(server!.open()), 50);
    const { intervals, phases } = await drive(server.baseUrl, { connectRate: 1000 }, [{ name: 'up', kind: 'ramp', durationMs: 600, connections: [0, 60] }, steady(60, 600, 'hold')]);
    clearInterval(poll);
    expect(phases).toEqual(['up', 'hold']);
    expect(Math.max(...observed)).toBe(60);
    expect(total(intervals, (interval) => interval.ws!.opened)).toBe(60);
    expect(total(intervals, (interval) => interval.sent)).toBe(0);
  });

  it('churn connects, sends its messages, disconnects and repeats', async () => {
    server = await wsServer(echo);
    const { intervals } = await drive(server.baseUrl, { churn: { messages: 3 }, expectReply: true, connectRate: 200 }, [steady(4, 1000)]);
    const opened = total(intervals, (interval) => interval.ws!.opened);
    expect(opened).toBeGreaterThan(20);
    expect(total(intervals, (interval) => interval.ws!.closed)).toBe(opened);
    expect(server.accepted).toBe(opened);
    // Every connection closed by churn got exactly its quota; the last few were closed at the end of the run.
    const byChurn = server.messagesPerClosed.filter((count) => count === 3).length;
    expect(byChurn).toBeGreaterThanOrEqual(opened - 4);
    expect(total(intervals, (interval) => interval.completed)).toBe(total(intervals, (interval) => interval.sent));
    expect(total(intervals, (interval) => interval.errors)).toBe(0);
  });

  it('counts unexpected closes, refused connections and missing replies', async () => {
    server = await wsServer((socket) => setTimeout(() => socket.close(1011), 150));
    const closes = await drive(server.baseUrl, { connectRate: 100 }, [steady(3, 600)]);
    expect(total(closes.intervals, (interval) => interval.outcomes['closed-1011'] ?? 0)).toBeGreaterThanOrEqual(3);

    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const refused = await drive(nowhere, { connectRate: 20 }, [steady(3, 400)]);
    expect(total(refused.intervals, (interval) => interval.outcomes.ECONNREFUSED ?? 0)).toBeGreaterThanOrEqual(3);

    await server.close();
    server = await wsServer();
    const silent = await drive(server.baseUrl, { message: { id: '{{seq}}' }, expectReply: 'id', messageRate: 20, timeout: '200ms' }, [steady(2, 1000)]);
    expect(total(silent.intervals, (interval) => interval.timeouts)).toBeGreaterThan(10);
    expect(total(silent.intervals, (interval) => interval.completed)).toBe(0);
    // Each missing reply is in the latency at the timeout, censored, so p99 is never better than the truth.
    expect(total(silent.intervals, (interval) => interval.censored ?? 0)).toBe(total(silent.intervals, (interval) => interval.timeouts));
    expect(Math.max(...silent.intervals.map((interval) => interval.latency.max))).toBeGreaterThanOrEqual(200);
  });

  it('stops promptly when aborted and leaves no connection open', async () => {
    server = await wsServer(echo);
    const abort = new AbortController();
    const started = performance.now();
    setTimeout(() => abort.abort(), 400);
    const { intervals } = await drive(server.baseUrl, { messageRate: 5, expectReply: true }, [steady(20, 60_000)], abort.signal);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(total(intervals, (interval) => interval.ws!.opened)).toBe(20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.open()).toBe(0);
  });

  it('explains options and phases it cannot use', async () => {
    expect(() => parseOrThrow(wsOptionsSchema, { expectReply: 'id', message: 'plain text' }, 'load')).toThrow('message must be a JSON object');
    server = await wsServer();
    await expect(drive(server.baseUrl, { expectReply: 'id', message: { type: 'ping' } }, [steady(1, 100)])).rejects.toThrow('message has no field "id"');
    await expect(drive(server.baseUrl, {}, [{ name: 'open', kind: 'steady', durationMs: 100, rate: 10 }])).rejects.toThrow('give connections (held at once), not rate');
    await expect(drive(server.baseUrl, {}, [steady(10_000_000, 100)])).rejects.toThrow(/need about 10000256 open files, but the limit \(ulimit -n\) is \d+/);
  });
});
