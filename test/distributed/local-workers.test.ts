import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { startCoordinator } from '../../src/distributed/coordinator.js';
import { loadEngines } from '../../src/distributed/engines/index.js';
import { workerGroup } from '../../src/distributed/group.js';
import { httpDriver, runStream } from '../../src/load/index.js';
import { arrivalsIn } from '../../src/load/phases.js';
import type { Phase } from '../../src/load/types.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { LoadInterval, RunEvent } from '../../src/store/records.js';
import { hdrCount, total } from '../helpers/intervals.js';

let server: Server | undefined;
const resources = new Resources();

afterEach(async () => {
  await resources.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function target(): Promise<{ baseUrl: string; paths: string[] }> {
  const paths: string[] = [];
  server = createServer((request, response) => {
    paths.push(request.url ?? '');
    if (request.url?.startsWith('/fail/')) response.writeHead(500).end();
    else response.end('ok');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

describe('soak worker processes (engine local)', () => {
  it('two worker processes, merged, send exactly what one driver sends on the same schedule: totals, outcomes, histograms and {{seq}}', async () => {
    const { baseUrl, paths } = await target();
    const phases: Phase[] = [
      { name: 'up', kind: 'ramp', durationMs: 1000, rate: [50, 250] },
      { name: 'steady', kind: 'steady', durationMs: 1000, rate: 200 },
    ];
    const options = parseOrThrow(httpDriver.schema, { requests: [{ path: '/ok/{{seq}}', weight: 3 }, { path: '/fail/{{seq}}', weight: 1 }] }, 'load.');
    const context = (intervals: LoadInterval[]) => ({
      baseUrl,
      stream: 'http',
      phases,
      intervalMs: 400,
      onInterval: (interval: LoadInterval) => intervals.push(interval),
      onPhase: () => {},
      signal: new AbortController().signal,
    });

    const single: LoadInterval[] = [];
    await httpDriver.run(options, context(single));
    const planned = arrivalsIn(phases[0]!) + arrivalsIn(phases[1]!);
    expect(total(single, (interval) => interval.scheduled)).toBe(planned);

    const events: RunEvent[] = [];
    const coordinator = await startCoordinator({ host: '127.0.0.1', port: 0, token: 'test-token', event: (record) => events.push(record) });
    resources.add('coordinator', () => coordinator.close());
    const stream = { kind: 'http', name: 'http', target: 'target', phases, workers: 2, processes: 2, engine: 'local', options };
    const group = await workerGroup(stream, {
      coordinator,
      engine: loadEngines.get('local'),
      request: { runId: 'test', stream: 'http', count: 2, connect: coordinator.address, token: 'test-token', image: '' },
      event: (record) => events.push(record),
      own: (label, cleanup) => resources.add(label, cleanup),
      signal: new AbortController().signal,
    });
    const merged: LoadInterval[] = [];
    const before = paths.length;
    await runStream('http', options, context(merged), 2, group);

    const joined = events.filter((event) => event.type === 'peer-joined');
    expect(joined).toHaveLength(2);
    for (const event of joined) expect(event).toMatchObject({ role: 'worker', skewMs: expect.any(Number), rttMs: expect.any(Number) });
    for (const pick of [(i: LoadInterval) => i.scheduled, (i: LoadInterval) => i.sent, (i: LoadInterval) => i.completed] as const) {
      expect(total(merged, pick)).toBe(total(single, pick));
    }
    // Which request an arrival sends is drawn by weight, so only the sums of outcomes and endpoints are the same.
    expect(total(merged, (interval) => interval.outcomes['2xx']) + total(merged, (interval) => interval.outcomes['5xx'])).toBe(planned);
    expect(total(merged, (interval) => interval.errors)).toBe(total(merged, (interval) => interval.outcomes['5xx']));
    expect(total(merged, (interval) => hdrCount(interval.hdr))).toBe(total(single, (interval) => hdrCount(interval.hdr)));
    const endpointsCompleted = (intervals: LoadInterval[]) => total(intervals, (interval) => Object.values(interval.endpoints ?? {}).reduce((sum, endpoint) => sum + hdrCount(endpoint.hdr), 0));
    expect(endpointsCompleted(merged)).toBe(endpointsCompleted(single));
    for (const interval of merged) {
      expect(hdrCount(interval.hdr)).toBe(interval.completed);
      // Two processes of two threads each.
      expect(interval.generator?.threads).toBe(4);
    }
    // {{seq}} counts up across the stream, split over processes and their threads: every number once.
    const seqs = paths.slice(before).map((path) => Number(path.split('/')[2]));
    expect(seqs).toHaveLength(planned);
    expect(new Set(seqs).size).toBe(planned);
    expect(Math.max(...seqs)).toBe(planned);
    expect(events.filter((event) => event.type === 'worker-lost')).toEqual([]);
  });
});
