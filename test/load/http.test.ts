import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'hdr-histogram-js';
import { afterEach, describe, expect, it } from 'vitest';
import { httpDriver, loadDrivers } from '../../src/load/index.js';
import type { BacklogFields, Phase } from '../../src/load/types.js';
import { freePort } from '../../src/runtime/index.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { LoadInterval } from '../../src/store/records.js';
import { decodeInterval } from '../helpers/intervals.js';

type Interval = LoadInterval & BacklogFields;

interface TestServer {
  baseUrl: string;
  /** Paths of the requests received, in order. */
  paths: string[];
  bodies: { headers: IncomingMessage['headers']; method: string; body: string }[];
  maxConcurrent: number;
  openSockets(): number;
  close(): Promise<void>;
}

async function httpServer(handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.end('ok')): Promise<TestServer> {
  let concurrent = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((request, response) => {
    concurrent += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
    response.on('close', () => (concurrent -= 1));
    state.paths.push(request.url ?? '');
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => state.bodies.push({ headers: request.headers, method: request.method ?? '', body }));
    handle(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: TestServer = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths: [],
    bodies: [],
    maxConcurrent: 0,
    openSockets: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}

/** A server in its own process that blocks its event loop for stallMs while answering request number `at`: a GC pause or a sync call. */
function stallingServer(at: number, stallMs: number): Promise<{ baseUrl: string; child: ChildProcess }> {
  const source = `
    let n = 0;
    require('node:http').createServer((req, res) => {
      if (++n === ${at}) { const end = Date.now() + ${stallMs}; while (Date.now() < end); }
      res.end('ok');
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`stalling server exited with ${code}`)));
    child.stdout!.once('data', (data: Buffer) => resolve({ baseUrl: `http://127.0.0.1:${data.toString().trim()}`, child }));
  });
}

const children: ChildProcess[] = [];
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

const open = (rate: number | [number, number], durationMs: number, name = 'open'): Phase => ({ name, kind: 'steady', durationMs, rate });
const closed = (connections: number | [number, number], durationMs: number, name = 'closed'): Phase => ({ name, kind: 'steady', durationMs, connections });

async function drive(baseUrl: string, options: Record<string, unknown>, phases: Phase[], extra: { signal?: AbortSignal; intervalMs?: number } = {}) {
  const intervals: Interval[] = [];
  const entered: string[] = [];
  await httpDriver.run(parseOrThrow(httpDriver.schema, options, 'load.'), {
    baseUrl,
    stream: 'http',
    phases,
    intervalMs: extra.intervalMs ?? 500,
    onInterval: (interval) => intervals.push(interval as Interval),
    onPhase: (phase) => entered.push(phase.name),
    signal: extra.signal ?? new AbortController().signal,
  });
  return { intervals, entered };
}

const total = (intervals: Interval[], pick: (interval: Interval) => number) => intervals.reduce((sum, interval) => sum + pick(interval), 0);
const outcome = (intervals: Interval[], name: string) => total(intervals, (interval) => interval.outcomes[name] ?? 0);

/** Latency of the whole run in ms, merged from the interval histograms as the analysis does. */
function merged(intervals: Interval[]) {
  const histogram = build();
  for (const interval of intervals) {
    const part = decodeInterval(interval.hdr);
    histogram.add(part);
    part.destroy();
  }
  const result = { count: histogram.totalCount, p95: histogram.getValueAtPercentile(95) / 1000, p99: histogram.getValueAtPercentile(99) / 1000, max: histogram.maxValue / 1000 };
  histogram.destroy();
  return result;
}

describe('http load driver', () => {
  it('is registered as the http load driver', () => {
    expect(loadDrivers.get('http')).toBe(httpDriver);
  });

  it('open model: sends rate × duration requests, and each interval histogram holds its completed count', async () => {
    server = await httpServer();
    const { intervals, entered } = await drive(server.baseUrl, { path: '/' }, [open(200, 2000, 'steady')]);
    expect(entered).toEqual(['steady']);
    const sent = total(intervals, (interval) => interval.sent);
    expect(sent).toBeGreaterThanOrEqual(340);
    expect(sent).toBeLessThanOrEqual(460);
    expect(total(intervals, (interval) => interval.completed)).toBe(sent);
    expect(outcome(intervals, '2xx')).toBe(sent);
    expect(server.paths).toHaveLength(sent);
    for (const interval of intervals) {
      const histogram = decodeInterval(interval.hdr);
      expect(histogram.totalCount).toBe(interval.completed);
      histogram.destroy();
      expect(interval).toMatchObject({ stream: 'http', driver: 'http', phase: 'steady', late: 0, errors: 0, timeouts: 0 });
    }
    expect(intervals[0]!.offeredRate).toBeCloseTo(200);
  });

  it('open model: a 500 ms stall shows in the latency of every request meant to be sent during it; the closed model sees one slow request', async () => {
    const stalled = await stallingServer(50, 500);
    const openRun = await drive(stalled.baseUrl, { path: '/' }, [open(100, 2000)]);
    const openLatency = merged(openRun.intervals);
    // ~50 requests were due during the stall, waiting 500..0 ms: about one in eight of the run took over 250 ms.
    expect(openLatency.p95).toBeGreaterThanOrEqual(250);
    expect(Math.max(...openRun.intervals.map((interval) => interval.latency.p99))).toBeGreaterThanOrEqual(300);

    const again = await stallingServer(50, 500);
    const closedRun = await drive(again.baseUrl, { path: '/' }, [closed(1, 2000)]);
    const closedLatency = merged(closedRun.intervals);
    expect(closedLatency.max).toBeGreaterThanOrEqual(400);
    expect(closedLatency.count).toBeGreaterThan(200);
    expect(closedLatency.p99).toBeLessThan(100);
  });

  it('open model: a pause in soak itself is not hidden either: arrivals due during it count from their intended time', async () => {
    const target = await stallingServer(-1, 0);
    setTimeout(() => {
      const end = Date.now() + 300;
      while (Date.now() < end);
    }, 500);
    const { intervals } = await drive(target.baseUrl, { path: '/' }, [open(100, 1500)]);
    const latency = merged(intervals);
    // ~30 arrivals were due while the driver could not send, late by 300..0 ms.
    expect(latency.max).toBeGreaterThanOrEqual(250);
    expect(latency.p95).toBeGreaterThanOrEqual(150);
  });

  it('counts outcomes by kind: status classes, 5xx and dropped connections as errors, and timeouts apart', async () => {
    server = await httpServer((request, response) => {
      if (request.url === '/missing') response.writeHead(404).end();
      else if (request.url === '/fail') response.writeHead(500).end();
      else if (request.url === '/reset') request.socket.destroy();
      else if (request.url !== '/hang') response.end('ok');
    });
    const requests = ['/ok', '/missing', '/fail', '/reset', '/hang'].map((path) => ({ path }));
    const { intervals } = await drive(server.baseUrl, { requests, timeout: '300ms' }, [open(100, 1000)]);
    const sent = total(intervals, (interval) => interval.sent);
    for (const name of ['2xx', '4xx', '5xx', 'socket-closed', 'timeout']) expect(outcome(intervals, name), name).toBeGreaterThan(5);
    expect(Object.values(intervals.flatMap((interval) => Object.values(interval.outcomes))).reduce((a, b) => a + b, 0)).toBe(sent);
    expect(total(intervals, (interval) => interval.errors)).toBe(outcome(intervals, '5xx') + outcome(intervals, 'socket-closed'));
    expect(total(intervals, (interval) => interval.timeouts)).toBe(outcome(intervals, 'timeout'));
    expect(total(intervals, (interval) => interval.completed)).toBe(outcome(intervals, '2xx') + outcome(intervals, '4xx') + outcome(intervals, '5xx'));
  });

  it('counts ECONNREFUSED when nothing listens, without a busy loop in the closed model', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const openRun = await drive(nowhere, { path: '/' }, [open(50, 500)]);
    const sent = total(openRun.intervals, (interval) => interval.sent);
    expect(sent).toBeGreaterThan(15);
    expect(outcome(openRun.intervals, 'ECONNREFUSED')).toBe(sent);
    expect(total(openRun.intervals, (interval) => interval.errors)).toBe(sent);

    const closedRun = await drive(nowhere, { path: '/' }, [closed(2, 500)]);
    const attempts = total(closedRun.intervals, (interval) => interval.sent);
    expect(outcome(closedRun.intervals, 'ECONNREFUSED')).toBe(attempts);
    // Two loops pausing 10 ms after each failure: about 100 attempts, not tens of thousands.
    expect(attempts).toBeLessThanOrEqual(110);
  });

  it('follows a rate ramp: later intervals schedule more arrivals', async () => {
    server = await httpServer();
    const { intervals } = await drive(server.baseUrl, { path: '/' }, [{ name: 'up', kind: 'ramp', durationMs: 2000, rate: [20, 200] }]);
    const scheduled = intervals.map((interval) => interval.scheduled);
    // 20t + 45t² arrivals by t seconds: about 21, 44, 66 and 89 per half second.
    expect(total(intervals, (interval) => interval.scheduled)).toBeGreaterThanOrEqual(187);
    expect(total(intervals, (interval) => interval.scheduled)).toBeLessThanOrEqual(253);
    expect(Math.max(...scheduled.slice(-2))).toBeGreaterThan(2.5 * scheduled[0]!);
    const offered = intervals.slice(0, 3).map((interval) => interval.offeredRate!);
    expect(offered[1]).toBeGreaterThan(offered[0]!);
    expect(offered[2]).toBeGreaterThan(offered[1]!);
  });

  it('closed model: holds as many requests in flight as connections asked for, phase by phase', async () => {
    server = await httpServer((_request, response) => setTimeout(() => response.end('ok'), 20));
    const { intervals, entered } = await drive(server.baseUrl, { path: '/' }, [closed(2, 600, 'two'), closed(6, 600, 'six')], { intervalMs: 300 });
    expect(entered).toEqual(['two', 'six']);
    expect(server.maxConcurrent).toBe(6);
    expect(intervals[0]).toMatchObject({ phase: 'two', connections: 2 });
    expect(intervals.find((interval) => interval.phase === 'six')?.connections).toBe(6);
    expect(total(intervals, (interval) => interval.completed)).toBeGreaterThan(100);
  });

  it('open model: past maxInflight arrivals wait and go late, and those waiting beyond the timeout time out; none vanish', async () => {
    server = await httpServer((_request, response) => setTimeout(() => response.end('ok'), 100));
    const { intervals } = await drive(server.baseUrl, { path: '/', maxInflight: 2, timeout: '700ms' }, [open(50, 1000)], { intervalMs: 250 });
    expect(server.maxConcurrent).toBeLessThanOrEqual(2);
    const scheduled = total(intervals, (interval) => interval.scheduled);
    expect(total(intervals, (interval) => interval.late)).toBeGreaterThan(5);
    expect(Math.max(...intervals.map((interval) => interval.queued))).toBeGreaterThan(5);
    expect(total(intervals, (interval) => interval.timeouts)).toBeGreaterThan(5);
    expect(total(intervals, (interval) => interval.sent)).toBe(scheduled);
    expect(total(intervals, (interval) => interval.completed + interval.errors + interval.timeouts)).toBe(scheduled);
    // Latency counts from the intended time, so the wait for a slot is in it.
    expect(merged(intervals).max).toBeGreaterThan(300);
  });

  it('a stall longer than the timeout enters the latency at the timeout, censored: p99 and max are at least the timeout', async () => {
    // A real process that blocks its event loop for 1.5 s on its 60th request, with a 300 ms timeout.
    const stalling = await stallingServer(60, 1500);
    const { intervals } = await drive(stalling.baseUrl, { path: '/', timeout: '300ms' }, [open(100, 2500)]);
    const timeouts = total(intervals, (interval) => interval.timeouts);
    expect(timeouts).toBeGreaterThan(20);
    expect(total(intervals, (interval) => interval.censored ?? 0)).toBe(timeouts);
    for (const interval of intervals) expect(decodeInterval(interval.hdr).totalCount).toBe(interval.completed + (interval.censored ?? 0));
    const latency = merged(intervals);
    expect(latency.p99).toBeGreaterThanOrEqual(300);
    expect(latency.max).toBeGreaterThanOrEqual(300);

    // The timeout covers the whole response: a body dribbled out past it is a timeout, not a slow success.
    server = await httpServer((_request, response) => {
      response.writeHead(200, { 'content-length': '10' });
      let sent = 0;
      const timer = setInterval(() => {
        response.write('x');
        if (++sent === 10) {
          clearInterval(timer);
          response.end();
        }
      }, 60);
      response.on('close', () => clearInterval(timer));
    });
    const dribbled = await drive(server.baseUrl, { path: '/', timeout: '300ms' }, [open(20, 600)]);
    expect(total(dribbled.intervals, (interval) => interval.completed)).toBe(0);
    expect(total(dribbled.intervals, (interval) => interval.timeouts)).toBe(total(dribbled.intervals, (interval) => interval.sent));
    expect(merged(dribbled.intervals).p99).toBeGreaterThanOrEqual(300);
  });

  it('stops within a second of the abort, with requests hanging, and closes its connections', async () => {
    server = await httpServer(() => {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const started = performance.now();
    const { intervals } = await drive(server.baseUrl, { path: '/' }, [open(100, 60_000)], { signal: controller.signal });
    const stoppedAfterAbort = performance.now() - started - 400;
    expect(stoppedAfterAbort).toBeLessThan(1000);
    expect(intervals.length).toBeGreaterThanOrEqual(1);
    expect(total(intervals, (interval) => interval.scheduled)).toBeGreaterThan(20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.openSockets()).toBe(0);
  });

  it('fills {{seq}} and {{random}} so each request hits a new key, and sends the method, headers and JSON body asked for', async () => {
    server = await httpServer();
    const requests = [
      { path: '/k/{{seq}}' },
      { path: '/r/{{random}}' },
      { method: 'post', path: '/orders', headers: { 'x-test': 'yes' }, body: { id: '{{seq}}', total: 42 } },
    ];
    await drive(server.baseUrl, { requests }, [open(200, 500)]);
    const seqs = server.paths.filter((path) => path.startsWith('/k/')).map((path) => Number(path.slice(3)));
    const randoms = server.paths.filter((path) => path.startsWith('/r/'));
    expect(seqs.length).toBeGreaterThan(10);
    expect(randoms.length).toBeGreaterThan(10);
    expect(seqs.every(Number.isInteger)).toBe(true);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(new Set(randoms).size).toBe(randoms.length);
    const posts = server.bodies.filter((entry) => entry.method === 'POST');
    expect(posts.length).toBeGreaterThan(10);
    expect(posts[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'x-test': 'yes' });
    const ids = posts.map((entry) => (JSON.parse(entry.body) as { id: string; total: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.parse(posts[0]!.body)).toMatchObject({ total: 42 });
  });
});
