import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSoakError } from '../../src/core/errors.js';
import { cgroupOf, writableController } from '../../src/runtime/cgroup-v1.js';
import { serviceProcesses } from '../../src/runtime/process-tree.js';
import { faultKinds, scheduleFaults } from '../../src/faults/index.js';
import { startFaultProxy, type FaultProxy } from '../../src/faults/proxy/index.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import type { FaultConfig } from '../../src/scenario/types.js';
import type { RunEvent } from '../../src/store/records.js';
import { waitFor } from '../helpers/processes.js';
import { answers, fixture, processState, TestServices } from './services.js';
import { dial, echo, roundTrip, tcpServer } from './tcp.js';

const cpuCgroupsWritable = (() => {
  try {
    writableController('cpu');
    return true;
  } catch (error) {
    if (isSoakError(error)) return false;
    throw error;
  }
})();

function fault(kind: string, name: string, atMs: number, options: Record<string, unknown>): FaultConfig {
  return { kind, name, atMs, options: parseOrThrow(faultKinds.get(kind).schema, options, `faults "${name}"`) };
}

type FaultEvent = Extract<RunEvent, { type: 'fault-start' | 'fault-end' }>;

describe('fault scheduler', () => {
  let services: TestServices;
  let proxy: FaultProxy;
  let closeEcho: () => Promise<void>;
  const events: RunEvent[] = [];
  const faultEvents = () => events.filter((event): event is FaultEvent => event.type === 'fault-start' || event.type === 'fault-end');

  beforeEach(async () => {
    events.length = 0;
    services = new TestServices();
    const server = await tcpServer(echo);
    closeEcho = server.close;
    proxy = await startFaultProxy({ host: '127.0.0.1', port: server.port });
  });
  afterEach(async () => {
    await proxy.close();
    await closeEcho();
    await services.close();
  });

  const context = () => services.context({ proxies: new Map([['db', proxy]]) });

  it('begins each fault at its time, ends it after its duration, and logs both with detail', async () => {
    const api = await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: '0' } });
    const runStart = Date.now();
    const schedule = scheduleFaults(
      [fault('pause', 'freeze', 300, { target: 'api', duration: '400ms' }), fault('latency', 'slow-db', 100, { target: 'db', duration: '300ms', latency: '200ms' })],
      context(),
      (event) => events.push(event),
      runStart,
    );
    await schedule.done;

    const at = (type: string, name: string) => faultEvents().find((event) => event.type === type && event.fault === name)!.t - runStart;
    expect(at('fault-start', 'slow-db')).toBeGreaterThanOrEqual(100);
    expect(at('fault-start', 'freeze')).toBeGreaterThanOrEqual(300);
    expect(at('fault-end', 'slow-db') - at('fault-start', 'slow-db')).toBeGreaterThanOrEqual(300);
    expect(at('fault-end', 'freeze') - at('fault-start', 'freeze')).toBeGreaterThanOrEqual(400);
    // Generous upper bounds: two shared cores.
    expect(at('fault-start', 'freeze')).toBeLessThan(1000);
    expect(at('fault-end', 'freeze')).toBeLessThan(2000);
    expect(faultEvents().map((event) => `${event.type} ${event.fault}`)).toEqual(['fault-start slow-db', 'fault-start freeze', 'fault-end slow-db', 'fault-end freeze']);
    expect(faultEvents()[0]).toMatchObject({ kind: 'latency', target: 'db', detail: { latency: 200, toxicity: 1, durationMs: 300, proxyPort: proxy.port } });
    expect(faultEvents()[1]).toMatchObject({ kind: 'pause', target: 'api', detail: { durationMs: 400, pid: api.pid } });
    expect(await answers(api.url!, 5000)).toBe(true);
  });

  it('stop ends every active fault: nothing paused, no toxic, no cgroup left', async () => {
    const api = await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: '0' } });
    const busy = await services.start('busy', `node ${fixture('busy.cjs')}`, { port: false });
    const faults = [fault('pause', 'freeze', 0, { target: 'api' }), fault('latency', 'slow-db', 0, { target: 'db', latency: '400ms' })];
    if (cpuCgroupsWritable) faults.push(fault('starve', 'squeeze', 0, { target: 'busy', cpu: 0.2 }));
    const schedule = scheduleFaults(faults, context(), (event) => events.push(event), Date.now());
    expect(await waitFor(() => faultEvents().length === faults.length, 5000)).toBe(true);
    const starvedCgroup = cpuCgroupsWritable ? join(writableController('cpu'), cgroupOf(busy.pid, 'cpu')) : undefined;
    expect(await waitFor(() => serviceProcesses(api.pid).map(processState).includes('T'), 2000)).toBe(true);
    const socket = await dial(proxy.port);
    expect(await roundTrip(socket)).toBeGreaterThanOrEqual(380);

    await schedule.stop();
    await schedule.done;
    expect(faultEvents().filter((event) => event.type === 'fault-end')).toHaveLength(faults.length);
    expect(serviceProcesses(api.pid).map(processState)).not.toContain('T');
    expect(await answers(api.url!, 5000)).toBe(true);
    expect(await roundTrip(socket)).toBeLessThan(300);
    socket.destroy();
    if (starvedCgroup) {
      expect(starvedCgroup).toMatch(/\/soak-[^/]+-busy$/);
      expect(existsSync(starvedCgroup)).toBe(false);
    }
  });

  it('stop cancels faults that have not begun', async () => {
    await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: '0' } });
    const schedule = scheduleFaults([fault('pause', 'later', 60_000, { target: 'api' })], context(), (event) => events.push(event), Date.now());
    await schedule.stop();
    await schedule.done;
    expect(events).toEqual([]);
  });

  it('a fault that cannot work here fails before any fault acts', async () => {
    const api = await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: '0' } });
    const schedule = scheduleFaults(
      [fault('pause', 'fine', 0, { target: 'api' }), fault('kill', 'typo', 0, { target: 'apj' })],
      context(),
      (event) => events.push(event),
      Date.now(),
    );
    await expect(schedule.done).rejects.toThrow('faults "typo": target: no service named "apj" (known: api)');
    await schedule.stop();
    expect(events).toEqual([]);
    expect(await answers(api.url!)).toBe(true);
  });
});
