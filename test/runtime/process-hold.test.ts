import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { markerHold } from '../../src/runtime/process-hold.js';
import { childrenOf, isAlive, soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, runSoak, startSoak } from '../helpers/soak-cli.js';

/**
 * A target that starts a detached child (a new session) and a daemon whose parent exits at once:
 * neither is in the target's process group, the daemon not even in its process tree. Nothing it
 * starts may outlive the run, however the run ends.
 */
describe('everything a target starts ends with the run', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-hold-'));
  let pidFile: string;
  const detached = () => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : []);
  const start = (out: string, duration: string) =>
    startSoak(['run', '--cmd', fixtureServer('detaching.cjs'), '--rate', '10', '--duration', duration, '--out', join(root, out), '--no-progress'], { DETACHED_PIDS: pidFile });
  const started = () => waitFor(() => detached().length === 2, 20_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    for (const pid of detached()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });
  const fresh = (name: string) => {
    pidFile = join(root, `${name}.pids`);
  };

  it('after a normal end', async () => {
    fresh('normal');
    const result = await runSoak(['run', '--cmd', fixtureServer('detaching.cjs'), '--rate', '10', '--duration', '3s', '--out', join(root, 'normal'), '--no-progress'], { DETACHED_PIDS: pidFile });
    expect(result.code, result.stderr).toBe(0);
    expect(detached()).toHaveLength(2);
    expect(detached().filter(isAlive)).toEqual([]);
  });

  it('after Ctrl-C', async () => {
    fresh('ctrl-c');
    const { child, result } = start('ctrl-c', '60s');
    expect(await started()).toBe(true);
    expect(detached().filter(isAlive)).toHaveLength(2);
    child.kill('SIGINT');
    expect((await result).code).toBe(130);
    expect(detached().filter(isAlive)).toEqual([]);
  });

  it('after SIGKILL of soak: its guard ends them', async () => {
    fresh('sigkill');
    const { child, result } = start('sigkill', '60s');
    expect(await started()).toBe(true);
    child.kill('SIGKILL');
    await result;
    expect(await waitFor(() => detached().filter(isAlive).length === 0, 5000)).toBe(true);
  });

  it('after SIGKILL of soak and its guard together: the next run ends them', async () => {
    fresh('sweep');
    const { child, result } = start('sweep', '60s');
    expect(await started()).toBe(true);
    const guards = childrenOf(child.pid!, 'guard.js');
    expect(guards).toHaveLength(1);
    for (const pid of [child.pid!, ...guards]) process.kill(pid, 'SIGKILL');
    await result;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(detached().filter(isAlive)).toHaveLength(2);

    const next = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '10', '--duration', '2s', '--out', join(root, 'next'), '--no-progress']);
    expect(next.code, next.stderr).toBe(0);
    expect(detached().filter(isAlive)).toEqual([]);
    expect(readFileSync(join(root, 'next', 'events.ndjson'), 'utf8')).toMatch(/removed what killed soak runs left behind/);
  });

  it('without a cgroup, the env marker finds a daemon that left the process tree', async () => {
    fresh('marker');
    const hold = markerHold();
    const daemonize = `
      const { spawn } = require('node:child_process');
      const daemon = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
      require('node:fs').appendFileSync(${JSON.stringify(pidFile)}, daemon.pid + '\\n');
      daemon.unref();
    `;
    const parent = hold.spawn(() => spawn(process.execPath, ['-e', daemonize], { env: { ...process.env, ...hold.env }, stdio: 'ignore' }));
    await new Promise((resolve) => parent.once('exit', resolve));
    expect(await waitFor(() => detached().length === 1, 5000)).toBe(true);
    expect(isAlive(detached()[0]!)).toBe(true);
    await hold.release();
    expect(await waitFor(() => !isAlive(detached()[0]!), 2000)).toBe(true);
  });
});
