import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faultKinds } from '../../src/faults/index.js';
import { startFaultProxy, type FaultProxy } from '../../src/faults/proxy/index.js';
import type { FaultContext } from '../../src/faults/types.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import { dial, echo, howItEnds, receive, roundTrip, tcpServer } from './tcp.js';

/** Each kind's visible effect on a fresh connection through the proxy: true when the fault is felt. */
const cases: { kind: string; options: Record<string, unknown>; felt(port: number): Promise<boolean> }[] = [
  { kind: 'latency', options: { latency: '300ms' }, felt: async (port) => (await roundTrip(await dial(port))) >= 280 },
  {
    kind: 'bandwidth',
    options: { rate: 10 },
    felt: async (port) => {
      const socket = await dial(port);
      const started = performance.now();
      const received = receive(socket, 3000);
      socket.write(Buffer.alloc(3000));
      await received;
      // 3 KB at 10 KB/s is 0.3 s.
      return performance.now() - started >= 200;
    },
  },
  { kind: 'timeout', options: {}, felt: async (port) => (await echoedWithin(port, 300)) === false },
  { kind: 'reset', options: {}, felt: async (port) => (await howItEnds(await dial(port), 500)) === 'reset' },
  { kind: 'blackhole', options: {}, felt: async (port) => (await echoedWithin(port, 300)) === false },
  {
    kind: 'slow-close',
    options: { delay: '400ms' },
    felt: async (port) => {
      const socket = await dial(port);
      const started = performance.now();
      socket.end();
      await howItEnds(socket, 3000);
      return performance.now() - started >= 350;
    },
  },
  {
    kind: 'limit-data',
    options: { bytes: 2 },
    felt: async (port) => {
      const socket = await dial(port);
      const received = receive(socket, 4, 1000);
      socket.write('ping');
      return (await received).toString() === 'pi';
    },
  },
];

async function echoedWithin(port: number, ms: number): Promise<boolean> {
  const socket = await dial(port);
  socket.on('error', () => {});
  const received = receive(socket, 4, ms);
  socket.write('ping');
  const echoed = (await received).toString() === 'ping';
  socket.destroy();
  return echoed;
}

describe('network faults', () => {
  let proxy: FaultProxy;
  let closeServer: () => Promise<void>;
  let context: FaultContext;
  beforeEach(async () => {
    const server = await tcpServer(echo);
    closeServer = server.close;
    proxy = await startFaultProxy({ host: '127.0.0.1', port: server.port });
    context = { services: new Map(), proxies: new Map([['db', proxy]]), signal: new AbortController().signal, runId: 'test' };
  });
  afterEach(async () => {
    await proxy.close();
    await closeServer();
  });

  for (const { kind, options, felt } of cases) {
    it(`${kind} acts on the dependency's proxy from begin to end`, async () => {
      const fault = faultKinds.get(kind);
      const parsed = parseOrThrow(fault.schema, { target: 'db', duration: '5s', ...options }, 'faults[0]');
      expect(fault.network).toBe(true);
      expect(fault.plan(parsed)).toMatchObject({ target: 'db', durationMs: 5000 });
      expect(await felt(proxy.port)).toBe(false);
      const active = await fault.begin(parsed, context);
      expect(await felt(proxy.port)).toBe(true);
      await active.end();
      expect(await felt(proxy.port)).toBe(false);
    });
  }

  it('passes toxicity and direction through: toxicity 0 is never felt', async () => {
    const fault = faultKinds.get('latency');
    const parsed = parseOrThrow(fault.schema, { target: 'db', latency: '300ms', toxicity: 0, direction: 'both' }, 'faults[0]');
    await fault.begin(parsed, context);
    expect(await cases[0]!.felt(proxy.port)).toBe(false);
  });

  it('names a target without a proxy', async () => {
    const fault = faultKinds.get('reset');
    await expect(fault.check!(parseOrThrow(fault.schema, { target: 'cache' }, ''), context)).rejects.toThrow('target: "cache" has no fault proxy; network faults act on a dependency (db)');
  });

  it('rejects options a kind does not have', () => {
    expect(() => parseOrThrow(faultKinds.get('blackhole').schema, { target: 'db', latency: '1s' }, 'faults[0]')).toThrow('unknown field "latency"');
    expect(() => parseOrThrow(faultKinds.get('latency').schema, { target: 'db', latency: '1s', toxicity: 2 }, 'faults[0]')).toThrow('faults[0].toxicity: expected a fraction between 0 and 1');
  });
});
