import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSoakError } from '../../src/core/errors.js';
import { parseOrThrow } from '../../src/scenario/errors.js';
import { cgroupOf, writableController } from '../../src/runtime/cgroup-v1.js';
import { serviceProcesses } from '../../src/runtime/process-tree.js';
import { faultKinds } from '../../src/faults/index.js';
import { freePort } from '../../src/runtime/index.js';
import { isAlive, waitFor } from '../helpers/processes.js';
import { answers, fixture, groupCores, processState, TestServices } from './services.js';

function cgroupV1Problem(): string | undefined {
  try {
    writableController('cpu');
    writableController('memory');
    return undefined;
  } catch (error) {
    if (isSoakError(error)) return error.message;
    throw error;
  }
}
const noCgroups = cgroupV1Problem();

const parse = (kind: string, options: unknown) => parseOrThrow(faultKinds.get(kind).schema, options, 'faults[0]');

describe('process faults', () => {
  let services: TestServices;
  beforeEach(() => {
    services = new TestServices();
  });
  afterEach(async () => {
    await services.close();
  });

  it('pause stops every process of the service from answering until the fault ends', async () => {
    const workerPort = await freePort();
    const handle = await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: String(workerPort) } });
    const workerUrl = `http://127.0.0.1:${workerPort}/`;
    expect(await waitFor(() => answers(workerUrl), 10_000)).toBe(true);
    const group = serviceProcesses(handle.pid);
    expect(group.length).toBe(2);

    const active = await faultKinds.get('pause').begin(parse('pause', { target: 'api', duration: '1s' }), services.context());
    // SIGSTOP takes effect when each process is next scheduled.
    expect(await waitFor(() => group.every((pid) => processState(pid) === 'T'), 2000)).toBe(true);
    expect(await answers(handle.url!)).toBe(false);
    expect(await answers(workerUrl)).toBe(false);

    await active.end();
    expect(await answers(handle.url!, 5000)).toBe(true);
    expect(await answers(workerUrl, 5000)).toBe(true);
  });

  it('kill with restartAfter ends the process as expected and brings up a new pid on the same port', async () => {
    const handle = await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: String(await freePort()) } });
    const exits: boolean[] = [];
    handle.onExit((exit) => exits.push(exit.expected));
    const firstPid = handle.pid;
    const options = parse('kill', { target: 'api', restartAfter: '200ms' });
    expect(faultKinds.get('kill').plan(options)).toMatchObject({ target: 'api', durationMs: 200 });

    const active = await faultKinds.get('kill').begin(options, services.context());
    expect(active.detail).toEqual({ pid: firstPid });
    expect(await waitFor(() => !isAlive(firstPid), 5000)).toBe(true);
    expect(await answers(handle.url!)).toBe(false);

    await active.end();
    expect(handle.pid).not.toBe(firstPid);
    expect(await waitFor(() => answers(handle.url!), 10_000)).toBe(true);
    expect(exits).toEqual([true]);
  });

  it('kill does not restart a service when the run is being cut short', async () => {
    const handle = await services.start('api', `node ${fixture('group-server.cjs')}`, { env: { WORKER_PORT: String(await freePort()) } });
    const abort = new AbortController();
    const active = await faultKinds.get('kill').begin(parse('kill', { target: 'api', signal: 'SIGTERM', restartAfter: '1s' }), services.context({ signal: abort.signal }));
    const exit = await handle.exited;
    expect(exit).toMatchObject({ signal: 'SIGTERM', expected: true });
    abort.abort();
    await active.end();
    expect(await answers(handle.url!)).toBe(false);
  });

  it.skipIf(noCgroups)(`starve cpu slows a busy service and puts it back where it was${noCgroups ? ` (skipped: ${noCgroups})` : ''}`, async () => {
    const handle = await services.start('busy', `node ${fixture('busy.cjs')}`, { port: false });
    const originalCgroup = readFileSync(`/proc/${handle.pid}/cgroup`, 'utf8');
    const free = await groupCores(handle.pid, 1000);

    const context = services.context();
    const active = await faultKinds.get('starve').begin(parse('starve', { target: 'busy', cpu: 0.1, duration: '5s' }), context);
    const cgroupDir = join(writableController('cpu'), cgroupOf(handle.pid, 'cpu'));
    expect(cgroupDir.endsWith(`/soak-${context.runId}-busy`)).toBe(true);
    expect(existsSync(cgroupDir)).toBe(true);
    expect(active.detail).toMatchObject({ cpuQuotaUs: 10_000, cgroup: `soak-${context.runId}-busy` });
    const starved = await groupCores(handle.pid, 1500);

    await active.end();
    expect(starved).toBeLessThan(0.2);
    expect(starved).toBeLessThan(free / 2);
    expect(existsSync(cgroupDir)).toBe(false);
    expect(readFileSync(`/proc/${handle.pid}/cgroup`, 'utf8')).toBe(originalCgroup);
  });

  it.skipIf(noCgroups)(`starve memory stops a service from growing past the limit${noCgroups ? ` (skipped: ${noCgroups})` : ''}`, async () => {
    const handle = await services.start('grow', `node ${fixture('grow.cjs')}`);
    const context = services.context();
    const active = await faultKinds.get('starve').begin(parse('starve', { target: 'grow', memory: '96m' }), context);
    const cgroupDir = join(writableController('memory'), cgroupOf(handle.pid, 'memory'));
    expect(cgroupDir.endsWith(`/soak-${context.runId}-grow`)).toBe(true);
    expect(await answers(`${handle.url}/grow`)).toBe(true);
    const exit = await Promise.race([handle.exited, new Promise<undefined>((resolve) => setTimeout(resolve, 15_000))]);
    await active.end();
    // Unlimited, it would hold 400 MB and live on; the limit makes the kernel kill it.
    expect(exit).toMatchObject({ signal: 'SIGKILL', expected: false });
    expect(existsSync(cgroupDir)).toBe(false);
  });

  it('starve names the missing options and the unknown service clearly', async () => {
    expect(() => parse('starve', { target: 'api' })).toThrow('give cpu');
    expect(() => parse('starve', { target: 'api', memory: '12 parsecs' })).toThrow('expected a size like "128m"');
    await expect(faultKinds.get('starve').check!(parse('starve', { target: 'nope', cpu: 0.5 }), services.context())).rejects.toThrow('target: no service named "nope"');
  });
});
