import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, waitFor } from '../helpers/processes.js';
import { descendantPids, getJson, startTarget, stopAllTargets } from '../helpers/targets.js';

interface Health {
  worker: { status: string; pid?: number; starts: number; restarts: number; lastExit?: { code: number } };
}

// Scaled down: the worker dies 100 ms after start, restarts begin 100 ms after a death.
const fast = { WORKER_CRASH_AFTER_MS: '100', RESTART_DELAY_MS: '100', MAX_RESTARTS: '3' };

describe('crash-loop target', () => {
  afterEach(stopAllTargets);

  it('buggy restarts the crashing worker at a fixed pace for as long as it runs', async () => {
    const target = await startTarget('crash-loop', { variant: 'buggy', env: fast });
    const health = async () => (await getJson<Health>(`${target.url}/health`)).body.worker;
    expect(await waitFor(async () => (await health()).restarts >= 8, 15_000)).toBe(true);
    const worker = await health();
    expect(worker.lastExit?.code).toBe(1);
    expect(target.stderr()).toContain('restarting in 100 ms');
    expect(target.stderr()).not.toContain('giving up');
    expect(isAlive(target.pid)).toBe(true);
  });

  it('fixed backs off 100, 200, 400 ms, then gives up and exits 1 with the reason', async () => {
    const started = Date.now();
    const target = await startTarget('crash-loop', { variant: 'fixed', env: fast });
    const exit = await target.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    const stderr = target.stderr();
    expect(stderr).toContain('restart 1/3 in 100 ms');
    expect(stderr).toContain('restart 2/3 in 200 ms');
    expect(stderr).toContain('restart 3/3 in 400 ms');
    expect(stderr).toMatch(/after 3 restarts in a row; giving up/);
    // Four lives of >= 100 ms plus 700 ms of back-off.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
  });

  it('answers work through a live worker and 503 while it is down', async () => {
    const target = await startTarget('crash-loop', { variant: 'buggy', env: { WORKER_CRASH_AFTER_MS: '60000' } });
    await waitFor(async () => (await getJson<Health>(`${target.url}/health`)).body.worker.status === 'up');
    const work = await getJson(`${target.url}/work?n=100`);
    expect(work.status).toBe(200);
    expect(work.body).toMatchObject({ n: 100 });

    const down = await startTarget('crash-loop', { variant: 'buggy', env: { WORKER_CRASH_AFTER_MS: '50', RESTART_DELAY_MS: '60000' } });
    await waitFor(async () => (await getJson<Health>(`${down.url}/health`)).body.worker.status === 'down');
    expect((await getJson(`${down.url}/work`)).status).toBe(503);
  });

  it('takes its worker down with it on SIGTERM and exits 0', async () => {
    const target = await startTarget('crash-loop', { variant: 'fixed', env: { WORKER_CRASH_AFTER_MS: '60000' } });
    expect(await waitFor(() => descendantPids(target.pid).length === 1)).toBe(true);
    const [worker] = descendantPids(target.pid);
    target.child.kill('SIGTERM');
    expect(await target.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(worker!)).toBe(false);
  });
});
