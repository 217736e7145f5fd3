import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'hdr-histogram-js';
import { afterEach, describe, expect, it } from 'vitest';
import { httpDriver } from '../../src/load/index.js';
import type { Phase } from '../../src/load/types.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { EndpointInterval, LoadInterval } from '../../src/store/records.js';
import { decodeInterval } from '../helpers/intervals.js';

const slowMs = 200;
let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** /fast answers at once, /slow/<n> after slowMs (a timer: the server's loop stays free), /fail with a 500. Counts requests by route. */
async function routesServer(): Promise<{ baseUrl: string; received: Record<string, number> }> {
  const received: Record<string, number> = {};
  server = createServer((request, response) => {
    const route = (request.url ?? '').split('/')[1]!;
    received[route] = (received[route] ?? 0) + 1;
    if (route === 'slow') setTimeout(() => response.end('ok'), slowMs);
    else if (route === 'fail') response.writeHead(500).end();
    else response.end('ok');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function drive(baseUrl: string, options: Record<string, unknown>): Promise<LoadInterval[]> {
  const intervals: LoadInterval[] = [];
  const phases: Phase[] = [{ name: 'steady', kind: 'steady', durationMs: 1500, rate: 60 }];
  await httpDriver.run(parseOrThrow(httpDriver.schema, options, 'load.'), {
    baseUrl,
    stream: 'http',
    phases,
    intervalMs: 500,
    onInterval: (interval) => intervals.push(interval),
    onPhase: () => {},
    signal: new AbortController().signal,
  });
  return intervals;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** One endpoint's latencies over the run, merged from its interval histograms, in ms. */
function merged(shares: EndpointInterval[]) {
  const histogram = build();
  for (const share of shares) {
    const part = decodeInterval(share.hdr);
    expect(part.totalCount).toBe(share.completed);
    histogram.add(part);
    part.destroy();
  }
  const result = { count: histogram.totalCount, min: histogram.minNonZeroValue / 1000, p50: histogram.getValueAtPercentile(50) / 1000 };
  histogram.destroy();
  return result;
}

describe('http load driver, figures by endpoint', () => {
  it('splits every interval by endpoint name: counts add up to the stream and match what the server saw, latencies are each endpoint\'s own', async () => {
    const { baseUrl, received } = await routesServer();
    const requests = [{ path: '/fast' }, { path: '/slow/{{seq}}', name: 'slow' }, { path: '/fail' }, { method: 'POST', path: '/fast', name: 'GET /fast' }];
    const intervals = await drive(baseUrl, { requests, timeout: '5s' });
    expect(intervals.length).toBeGreaterThanOrEqual(3);
    for (const interval of intervals) {
      const shares = Object.values(interval.endpoints!);
      expect(Object.keys(interval.endpoints!).sort()).toEqual(['GET /fail', 'GET /fast', 'slow']);
      for (const key of ['sent', 'completed', 'errors', 'timeouts'] as const) expect(sum(shares.map((share) => share[key])), key).toBe(interval[key]);
    }
    const of = (name: string) => intervals.map((interval) => interval.endpoints![name]!);
    for (const [name, route] of [['GET /fast', 'fast'], ['slow', 'slow'], ['GET /fail', 'fail']] as const) {
      expect(sum(of(name).map((share) => share.completed)), name).toBe(received[route]);
      expect(sum(of(name).map((share) => share.sent)), name).toBe(received[route]);
    }
    // Two specs share "GET /fast" (the POST too); the 500s are the errors, all on "GET /fail".
    expect(sum(of('GET /fail').map((share) => share.errors))).toBe(received.fail);
    expect(sum([...of('GET /fast'), ...of('slow')].map((share) => share.errors))).toBe(0);

    const slow = merged(of('slow'));
    const fast = merged(of('GET /fast'));
    expect(slow.count).toBe(received.slow);
    expect(fast.count).toBe(received.fast);
    // Three significant digits: the histogram may read a 200 ms response as low as 199.94 ms.
    expect(slow.min).toBeGreaterThanOrEqual(slowMs * 0.999);
    expect(fast.p50).toBeLessThan(slow.p50);
  });

  it('leaves a single-request stream without figures by endpoint: its one endpoint is the stream', async () => {
    const { baseUrl } = await routesServer();
    const intervals = await drive(baseUrl, { path: '/fast' });
    expect(intervals.length).toBeGreaterThan(0);
    for (const interval of intervals) expect(interval.endpoints).toBeUndefined();
  });
});
