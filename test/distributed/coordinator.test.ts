import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readLines } from '../../src/core/json-lines.js';
import { startCoordinator, type Coordinator } from '../../src/distributed/coordinator.js';
import { remoteWorker } from '../../src/distributed/remote-worker.js';
import { startProbeCollector, type ProbeCollector } from '../../src/probe/index.js';
import type { NodeProbeSample, RunEvent } from '../../src/store/records.js';
import { waitFor } from '../helpers/processes.js';

let coordinator: Coordinator | undefined;
let collector: ProbeCollector | undefined;
afterEach(async () => {
  await coordinator?.close();
  await collector?.close();
});

const sample = (service: string) => `${JSON.stringify({ source: 'node', t: Date.now(), service, pid: 4242, memory: {}, eventLoop: {} })}\n`;

function peer(address: string, lines: string[]): Promise<Socket> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) }, () => {
      for (const line of lines) socket.write(line);
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}

describe('the coordinator', () => {
  it('refuses and logs peers that send records without the token, and takes those that pass it', async () => {
    const events: RunEvent[] = [];
    const samples: NodeProbeSample[] = [];
    collector = await startProbeCollector((record) => samples.push(record));
    coordinator = await startCoordinator({ host: '127.0.0.1', port: 0, token: 'the-token', event: (record) => events.push(record), probes: collector });
    const hello = (token: string, name: string) => `${JSON.stringify({ type: 'hello', role: 'probe', token, name })}\n`;

    const sockets = [
      await peer(coordinator.address, [sample('no-hello')]),
      await peer(coordinator.address, [hello('not-the-token', 'wrong'), sample('wrong')]),
      await peer(coordinator.address, [hello('the-token', 'right'), sample('right')]),
    ];
    expect(await waitFor(() => events.filter((event) => event.type === 'peer-refused').length === 2 && samples.length === 1)).toBe(true);
    expect(samples.map((each) => each.service)).toEqual(['right']);
    expect(events.filter((event) => event.type === 'peer-refused').map((event) => event.reason).sort()).toEqual(['its first line is not a hello with a token', 'wrong token from probe "wrong"']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'peer-joined', role: 'probe', name: 'right' }));
    expect(sockets[0]!.destroyed || (await waitFor(() => sockets[0]!.destroyed))).toBe(true);
    // A probe with the wrong token retries every few seconds: the same host and reason is logged once a minute at most.
    const again = await peer(coordinator.address, [hello('not-the-token', 'wrong'), sample('wrong')]);
    expect(await waitFor(() => again.destroyed)).toBe(true);
    expect(events.filter((event) => event.type === 'peer-refused')).toHaveLength(2);
    expect(samples).toHaveLength(1);
    for (const socket of sockets) socket.destroy();
  });

  it('reads a worker\'s clock skew when it joins, and counts a worker that stops its heartbeat as lost', async () => {
    const events: RunEvent[] = [];
    coordinator = await startCoordinator({ host: '127.0.0.1', port: 0, token: 't', event: (record) => events.push(record) });
    const socket = await peer(coordinator.address, [`${JSON.stringify({ type: 'hello', role: 'worker', token: 't', name: 'ahead' })}\n`]);
    // A worker whose clock is 5 s ahead.
    readLines(socket, (line) => {
      const message = JSON.parse(line) as { type: string; id: number };
      if (message.type === 'clock') socket.write(`${JSON.stringify({ type: 'clock', id: message.id, at: performance.timeOrigin + performance.now() + 5000 })}\n`);
    });
    const [joined] = await coordinator.claimWorkers(1, 10_000, new AbortController().signal);
    expect(joined!.skewMs).toBeGreaterThan(4900);
    expect(joined!.skewMs).toBeLessThan(5100);
    expect(events).toContainEqual(expect.objectContaining({ type: 'peer-joined', role: 'worker', name: 'ahead', skewMs: expect.any(Number) }));

    const worker = remoteWorker(joined!, 'http', 1, 300);
    const ended = new Promise<Error | undefined>((resolve) => worker.onEnd(resolve));
    expect((await ended)?.message).toBe('no heartbeat for 0.3s');
    socket.destroy();
  });

  it('listens on loopback unless given an address', async () => {
    coordinator = await startCoordinator({ host: '127.0.0.1', port: 0, token: 't', event: () => {} });
    expect(coordinator.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
