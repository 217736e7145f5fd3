import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpDriver } from '../../src/load/index.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { LoadInterval, RunEvent } from '../../src/store/records.js';
import { readSummary, runSoak } from '../helpers/soak-cli.js';

const lines = <T>(file: string): T[] => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as T);

/** What ending the load does to the target is soak's doing: it is paced, and not judged against the target. */
describe('the end of the load', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-end-of-load-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('closes a ramp of 1,500 WebSocket connections at the connect rate, and a healthy echo server ends without an event-loop finding', async () => {
    const out = join(root, 'ws-ramp');
    await runSoak(['run', 'test/fixtures/scenarios/ws-ramp-end.ts', '--out', out, '--no-progress']);
    const summary = readSummary(out);
    expect(summary.findings.filter((finding) => finding.kind === 'event-loop-blocked'), JSON.stringify(summary.findings)).toEqual([]);

    const events = lines<RunEvent>(join(out, 'events.ndjson'));
    const phases = events.flatMap((event) => (event.type === 'phase-start' ? [event] : []));
    const planEnd = phases.at(-1)!.t + phases.at(-1)!.durationMs;
    const load = lines<LoadInterval>(join(out, 'load.ndjson'));
    expect(Math.max(...load.map((interval) => interval.ws!.open))).toBe(1500);
    // 1,500 connections at 300 per second: they close over about 5 s, seen part-way in the intervals after the plan.
    const closing = load.filter((interval) => interval.t > planEnd && interval.ws!.open > 0 && interval.ws!.open < 1500);
    expect(closing.length, JSON.stringify(load.map((interval) => [interval.t - planEnd, interval.ws!.open]))).toBeGreaterThanOrEqual(3);
    expect(load.at(-1)!.ws!.open).toBe(0);
    expect(load.reduce((sum, interval) => sum + interval.errors, 0)).toBe(0);
  });

  it('closes HTTP keep-alive connections paced, not all at once', async () => {
    const closedAt: number[] = [];
    const server = createServer((_request, response) => setTimeout(() => response.end('ok'), 20));
    server.on('connection', (socket) => socket.on('close', () => closedAt.push(performance.now())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const connections = 60;
      await httpDriver.run(parseOrThrow(httpDriver.schema, { path: '/' }, 'load.'), {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stream: 'http',
        phases: [{ name: 'closed', kind: 'steady', durationMs: 800, connections }],
        intervalMs: 500,
        onInterval: () => {},
        onPhase: () => {},
        signal: new AbortController().signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closedAt).toHaveLength(connections);
      // At 200 per second, 60 connections take about 300 ms to close; all at once they close within a few ms.
      expect(Math.max(...closedAt) - Math.min(...closedAt)).toBeGreaterThan(150);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
