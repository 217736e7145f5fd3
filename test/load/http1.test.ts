import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Fed, ResponseParser } from '../../src/load/http1/response-parser.js';
import { httpDriver } from '../../src/load/index.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { LoadInterval } from '../../src/store/records.js';

/** Feeds `text` to a fresh parser cut at `cuts`, as reads of a socket may; returns what the last read gave. */
function feed(text: string, cuts: number[] = [], head = false): { fed: Fed; parser: ResponseParser } {
  const bytes = Buffer.from(text, 'latin1');
  const parser = new ResponseParser();
  parser.reset(head);
  let fed: Fed = Fed.Partial;
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    // Each read lands in a reused buffer with stale bytes after it, as with a shared read buffer.
    const chunk = Buffer.concat([bytes.subarray(start, end), Buffer.from('\r\n\r\nHTTP/1.1 999 stale\r\n\r\n')]);
    fed = parser.feed(chunk, 0, end - start);
    if (fed !== Fed.Partial) break;
    start = end;
  }
  return { fed, parser };
}

/** Every way to cut `text` in two, and in single bytes. */
function everySplit(text: string): number[][] {
  const pairs = Array.from({ length: text.length - 1 }, (_, i) => [i + 1]);
  return [[], ...pairs, Array.from({ length: text.length - 1 }, (_, i) => i + 1)];
}

const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n';
const sized = 'HTTP/1.1 404 Not Found\r\ncontent-length: 7\r\nConnection: keep-alive\r\n\r\nmissing';

describe('HTTP/1.1 response parser', () => {
  it('finds the end of a sized and of a chunked response however the bytes are split', () => {
    for (const [text, status] of [[sized, 404], [chunked, 200]] as const) {
      for (const cuts of everySplit(text)) {
        const { fed, parser } = feed(text, cuts);
        expect(fed, `${status} cut at ${cuts.join(',')}`).toBe(Fed.Complete);
        expect(parser.status).toBe(status);
        expect(parser.keepAlive).toBe(true);
      }
    }
  });

  it('ends bodiless responses at their headers: HEAD, 204, 304; and skips an interim 100 Continue', () => {
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n', [], true).fed).toBe(Fed.Complete);
    expect(feed('HTTP/1.1 204 No Content\r\n\r\n').parser.status).toBe(204);
    expect(feed('HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n').fed).toBe(Fed.Complete);
    const { fed, parser } = feed('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok', [10, 30]);
    expect(fed).toBe(Fed.Complete);
    expect(parser.status).toBe(201);
  });

  it('knows when a connection cannot be reused: Connection: close, HTTP/1.0, and a body that runs until the close', () => {
    expect(feed('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(false);
    expect(feed('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n').parser.keepAlive).toBe(true);
    const untilClose = feed('HTTP/1.1 200 OK\r\n\r\nstreamed until the end');
    expect(untilClose.fed).toBe(Fed.Partial);
    expect(untilClose.parser.closed()).toBe(Fed.Complete);
    expect(feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort').parser.closed()).toBe(Fed.Invalid);
  });

  it('refuses what is not an HTTP response', () => {
    expect(feed('SSH-2.0-OpenSSH_9.6\r\n\r\n').fed).toBe(Fed.Invalid);
    expect(feed(`HTTP/1.1 200 OK\r\n${'x'.repeat(70_000)}`).fed).toBe(Fed.Invalid);
  });
});

let server: Server | NetServer | undefined;
afterEach(async () => {
  if (server && 'closeAllConnections' in server) server.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function drive(baseUrl: string, options: Record<string, unknown>, connections = 3): Promise<LoadInterval[]> {
  const intervals: LoadInterval[] = [];
  await httpDriver.run(parseOrThrow(httpDriver.schema, options, 'load.'), {
    baseUrl,
    stream: 'http',
    phases: [{ name: 'closed', kind: 'steady', durationMs: 600, connections }],
    intervalMs: 300,
    onInterval: (interval) => intervals.push(interval),
    onPhase: () => {},
    signal: new AbortController().signal,
  });
  return intervals;
}

const sum = (intervals: LoadInterval[], pick: (interval: LoadInterval) => number) => intervals.reduce((total, interval) => total + pick(interval), 0);

describe('HTTP/1.1 client against real servers', () => {
  it('reads chunked bodies in many writes and responses that close the connection, with no error', async () => {
    let requests = 0;
    server = createServer((request, response) => {
      requests += 1;
      if (request.url === '/close') response.setHeader('connection', 'close');
      response.write('a'.repeat(3000));
      setImmediate(() => response.end('b'.repeat(70_000)));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const intervals = await drive(baseUrl, { requests: [{ path: '/keep' }, { path: '/close' }] });
    expect(sum(intervals, (interval) => interval.completed)).toBeGreaterThan(20);
    expect(sum(intervals, (interval) => interval.errors + interval.timeouts)).toBe(0);
    expect(sum(intervals, (interval) => interval.outcomes['2xx'] ?? 0)).toBe(requests);
  });

  it('reads an HTTP/1.0 body that ends with the connection', async () => {
    let requests = 0;
    server = createNetServer((socket) => {
      socket.once('data', () => {
        requests += 1;
        socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nthe end is the close');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const intervals = await drive(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { path: '/' }, 2);
    expect(sum(intervals, (interval) => interval.outcomes['2xx'] ?? 0)).toBe(requests);
    expect(requests).toBeGreaterThan(10);
    expect(sum(intervals, (interval) => interval.errors)).toBe(0);
  });

  it('counts garbage as a bad response and moves on', async () => {
    server = createNetServer((socket) => socket.once('data', () => socket.end('garbage\r\n\r\n')));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const intervals = await drive(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { path: '/' }, 1);
    expect(sum(intervals, (interval) => interval.outcomes['bad-response'] ?? 0)).toBeGreaterThan(5);
    expect(sum(intervals, (interval) => interval.errors)).toBe(sum(intervals, (interval) => interval.sent));
  });
});
