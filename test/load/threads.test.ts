import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { httpDriver, runStream, wsDriver } from '../../src/load/index.js';
import { ArrivalSchedule, arrivalsIn } from '../../src/load/phases.js';
import type { BacklogFields, Phase } from '../../src/load/types.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { LoadInterval } from '../../src/store/records.js';
import { hdrCount, total } from '../helpers/intervals.js';

type Interval = LoadInterval & BacklogFields;

let server: Server | undefined;
let wsServer: WebSocketServer | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  for (const client of wsServer?.clients ?? []) client.terminate();
  await new Promise((resolve) => (wsServer ? wsServer.close(resolve) : resolve(undefined)));
  wsServer = undefined;
});

/** Answers every request, counting them and the most in flight at once; /fail/ answers 500. */
async function countingServer(delayMs = 0): Promise<{ baseUrl: string; received: () => number; maxConcurrent: () => number; paths: string[] }> {
  let received = 0;
  let concurrent = 0;
  let maxConcurrent = 0;
  const paths: string[] = [];
  server = createServer((request, response) => {
    received += 1;
    paths.push(request.url ?? '');
    concurrent += 1;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    response.on('close', () => (concurrent -= 1));
    const answer = () => (request.url?.startsWith('/fail/') ? response.writeHead(500).end() : response.end('ok'));
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received: () => received, maxConcurrent: () => maxConcurrent, paths };
}

async function inThreads(kind: 'http' | 'ws', baseUrl: string, options: Record<string, unknown>, phases: Phase[], threads: number) {
  const intervals: Interval[] = [];
  const entered: string[] = [];
  await runStream(
    kind,
    kind === 'http' ? parseOrThrow(httpDriver.schema, options, 'load.') : parseOrThrow(wsDriver.schema, options, 'load.'),
    {
      baseUrl,
      stream: kind,
      phases,
      intervalMs: 300,
      onInterval: (interval) => intervals.push(interval as Interval),
      onPhase: (phase) => entered.push(phase.name),
      signal: new AbortController().signal,
    },
    threads,
  );
  return { intervals, entered };
}

describe('the schedule split across driver threads', () => {
  it('gives each of n threads every n-th arrival, so together they send exactly the one schedule, across phases and ramps', () => {
    const phases: Phase[] = [
      { name: 'up', kind: 'ramp', durationMs: 1300, rate: [7, 130] },
      { name: 'closed', kind: 'steady', durationMs: 200, connections: 3 },
      { name: 'steady', kind: 'steady', durationMs: 1000, rate: 37 },
    ];
    const offsets = (share?: { index: number; count: number }) => {
      const schedule = new ArrivalSchedule(phases, share);
      const all: number[] = [];
      for (let offset = schedule.peek(); offset !== undefined; offset = schedule.peek()) {
        all.push(offset);
        schedule.advance();
      }
      return all;
    };
    const whole = offsets();
    expect(whole).toHaveLength(arrivalsIn(phases[0]!) + arrivalsIn(phases[2]!));
    for (const count of [2, 3, 5]) {
      const shares = Array.from({ length: count }, (_, index) => offsets({ index, count }));
      expect(shares.flat().sort((a, b) => a - b)).toEqual(whole);
      // Interleaved, not cut in blocks: share i holds arrivals i, i + n, ...
      shares.forEach((share, index) => expect(share.slice(0, 3)).toEqual([whole[index], whole[index + count], whole[index + 2 * count]]));
    }
  });
});

describe('load streams on driver threads', () => {
  it('open model: the intervals merged from 1, 2 and 3 threads hold the same totals as one driver on the same schedule', async () => {
    const target = await countingServer();
    const phases: Phase[] = [{ name: 'steady', kind: 'steady', durationMs: 1500, rate: 200 }];
    const options = { requests: [{ path: '/ok/{{seq}}', weight: 3 }, { path: '/fail/{{seq}}', weight: 1 }] };

    const single: Interval[] = [];
    await httpDriver.run(parseOrThrow(httpDriver.schema, options, 'load.'), {
      baseUrl: target.baseUrl,
      stream: 'http',
      phases,
      intervalMs: 300,
      onInterval: (interval) => single.push(interval as Interval),
      onPhase: () => {},
      signal: new AbortController().signal,
    });
    const planned = arrivalsIn(phases[0]!);
    expect(total(single, (interval) => interval.scheduled)).toBe(planned);

    for (const threads of [1, 2, 3]) {
      const before = target.received();
      const { intervals, entered } = await inThreads('http', target.baseUrl, options, phases, threads);
      expect(entered).toEqual(['steady']);
      for (const pick of [(i: Interval) => i.scheduled, (i: Interval) => i.sent, (i: Interval) => i.completed] as const) {
        expect(total(intervals, pick), `${threads} threads`).toBe(total(single, pick));
      }
      expect(target.received() - before).toBe(planned);
      expect(total(intervals, (interval) => interval.outcomes['2xx']) + total(intervals, (interval) => interval.outcomes['5xx'])).toBe(planned);
      expect(total(intervals, (interval) => interval.errors)).toBe(total(intervals, (interval) => interval.outcomes['5xx']));
      for (const interval of intervals) {
        expect(hdrCount(interval.hdr)).toBe(interval.completed);
        const endpoints = Object.values(interval.endpoints ?? {});
        expect(endpoints.reduce((sum, endpoint) => sum + endpoint.completed, 0)).toBe(interval.completed);
        for (const endpoint of endpoints) expect(hdrCount(endpoint.hdr)).toBe(endpoint.completed);
        expect(interval.generator?.threads).toBe(threads);
        expect(interval.generator?.sendLag?.count ?? 0).toBeLessThanOrEqual(interval.sent);
      }
      expect(total(intervals, (interval) => interval.generator?.sendLag?.count)).toBe(planned);
      expect(intervals.find((interval) => interval.offeredRate !== undefined)?.offeredRate).toBeCloseTo(200, 6);
    }
    // {{seq}} counts up across the stream whatever the threads: every number once.
    const seqs = target.paths.slice(-planned).map((path) => Number(path.split('/')[2]));
    expect(new Set(seqs).size).toBe(planned);
    expect(Math.max(...seqs)).toBe(planned);
  });

  it('closed model: the connections are divided between the threads and add up to those asked for', async () => {
    const target = await countingServer(20);
    const { intervals } = await inThreads('http', target.baseUrl, { path: '/' }, [{ name: 'closed', kind: 'steady', durationMs: 900, connections: 5 }], 2);
    expect(target.maxConcurrent()).toBe(5);
    expect(Math.max(...intervals.map((interval) => interval.connections ?? 0))).toBe(5);
    expect(total(intervals, (interval) => interval.completed)).toBeGreaterThan(50);
  });

  it('websocket: each thread holds its share of the connections, numbered across the stream', async () => {
    wsServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wsServer!.once('listening', resolve));
    const conns: number[] = [];
    wsServer.on('connection', (socket) => socket.once('message', (data) => conns.push(Number(data.toString()))));
    const baseUrl = `http://127.0.0.1:${(wsServer.address() as AddressInfo).port}`;
    const { intervals } = await inThreads('ws', baseUrl, { message: '{{conn}}', connectRate: 1000, messageRate: 20 }, [{ name: 'hold', kind: 'steady', durationMs: 600, connections: 7 }], 3);
    expect(Math.max(...intervals.map((interval) => interval.ws!.open))).toBeLessThanOrEqual(7);
    expect(conns.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(total(intervals, (interval) => interval.ws!.opened)).toBe(total(intervals, (interval) => hdrCount(interval.ws!.connectHdr!)));
  });

  it('fails with the thread\'s own error, one line', async () => {
    await expect(inThreads('ws', 'http://127.0.0.1:1', {}, [{ name: 'open', kind: 'steady', durationMs: 100, rate: 5 }], 2)).rejects.toThrow(/a ws stream holds connections/);
  });
});

describe('streams holding more sockets than soak may open', () => {
  it('spreads a ws stream over child processes, each within the open-file limit, and merges them as threads', async () => {
    wsServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wsServer!.once('listening', resolve));
    const baseUrl = `http://127.0.0.1:${(wsServer.address() as AddressInfo).port}`;
    // 300 connections where 400 files is the hard limit: one process cannot hold them with soak's reserve.
    const script = `
      import(${JSON.stringify(new URL('../../dist/load/index.js', import.meta.url).href)}).then(async ({ runStream, wsDriver }) => {
        const intervals = [];
        await runStream('ws', wsDriver.schema.parse({ connectRate: 3000 }), {
          baseUrl: ${JSON.stringify(baseUrl)}, stream: 'ws', phases: [{ name: 'hold', kind: 'steady', durationMs: 1500, connections: 300 }],
          intervalMs: 250, signal: new AbortController().signal, onPhase() {}, onInterval: (interval) => intervals.push(interval),
        }, 1);
        console.log(JSON.stringify({ open: Math.max(...intervals.map((i) => i.ws.open)), errors: intervals.reduce((sum, i) => sum + i.errors, 0), workers: intervals[0].generator.threads }));
      });`;
    const child = spawn('sh', ['-c', 'ulimit -n 400 && ulimit -Hn 400 && exec "$0" -e "$1"', process.execPath, script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (data: Buffer) => (out += data.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const result = JSON.parse(out.trim()) as { open: number; errors: number; workers: number };
    expect(result).toMatchObject({ open: 300, errors: 0 });
    // Each process may hold 400 - 256 (soak's reserve) = 144 of them.
    expect(result.workers).toBe(3);
  });
});
