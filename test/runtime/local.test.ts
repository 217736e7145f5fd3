import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Resources } from '../../src/core/cleanup.js';
import { assertPortFree, freePort, waitUntilReady } from '../../src/runtime/index.js';
import { localRuntime } from '../../src/runtime/local.js';
import type { ServiceHandle } from '../../src/runtime/types.js';
import { isAlive, waitFor } from '../helpers/processes.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('local runtime', () => {
  let dir: string;
  let resources: Resources;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soak-runtime-'));
    resources = new Resources();
  });
  afterEach(async () => {
    await resources.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}): Promise<ServiceHandle> {
    const port = await freePort();
    return localRuntime.start({
      name: 'target',
      options: { cmd: `node ${fixture('echo-server.cjs')}` },
      env,
      port,
      stdoutFile: join(dir, 'target.stdout.log'),
      stderrFile: join(dir, 'target.stderr.log'),
      resources,
      runId: 'test',
      allowRemote: false,
    });
  }

  it('passes PORT, serves, and reports a stop as expected', async () => {
    const handle = await start();
    expect(await waitUntilReady({ port: handle.port!, timeoutMs: 10_000, gone: handle.exited })).toBe(true);
    const body = await (await fetch(handle.url!)).text();
    expect(body).toBe(`pid ${handle.pid}\n`);
    await handle.stop();
    const exit = await handle.exited;
    expect(exit.expected).toBe(true);
    expect(isAlive(handle.pid)).toBe(false);
  });

  it('reports an unasked-for exit with its code and the tail of stderr', async () => {
    const handle = await start({ CRASH_AFTER_MS: '300' });
    const exit = await handle.exited;
    expect(exit).toMatchObject({ code: 3, signal: null, expected: false });
    expect(exit.stderrTail.at(-1)).toBe('fatal: <b>simulated</b> crash');
  });

  it('pauses the whole service and resumes it', async () => {
    const handle = await start();
    await waitUntilReady({ port: handle.port!, timeoutMs: 10_000, gone: handle.exited });
    await handle.pause();
    await expect(fetch(handle.url!, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    await handle.resume();
    expect((await fetch(handle.url!, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
  });

  it('restarts with a new process and keeps reporting exits', async () => {
    const handle = await start();
    const exits: boolean[] = [];
    handle.onExit((exit) => exits.push(exit.expected));
    const firstPid = handle.pid;
    await handle.restart();
    expect(handle.pid).not.toBe(firstPid);
    expect(await waitUntilReady({ port: handle.port!, timeoutMs: 10_000, gone: handle.exited })).toBe(true);
    handle.kill('SIGKILL');
    const exit = await handle.exited;
    expect(exit).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(exits).toEqual([true, true]);
  });

  it('kills the service when soak itself is killed with SIGKILL', async () => {
    const harness = spawn(process.execPath, [fixture('harness-with-target.mjs'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const targetPid = await new Promise<number>((resolve) => harness.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))));
    expect(isAlive(targetPid)).toBe(true);
    harness.kill('SIGKILL');
    expect(await waitFor(() => !isAlive(targetPid), 5000)).toBe(true);
  });

  it('says which port is in use', async () => {
    const port = await freePort();
    const blocker = (await import('node:net')).createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    await expect(assertPortFree(port, 'targets[0].port')).rejects.toThrow(`targets[0].port: port ${port} is already in use on 127.0.0.1`);
    blocker.close();
  });
});
