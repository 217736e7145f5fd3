import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessTreeSampler } from '../../src/probe/index.js';
import { waitFor } from '../helpers/processes.js';
import { fixture } from './probed.js';

describe('process tree sampler', () => {
  const started: ChildProcess[] = [];

  function start(script: string): ChildProcess {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [fixture(script)], { env, stdio: 'ignore', detached: true });
    started.push(child);
    return child;
  }

  function killGroup(child: ChildProcess): Promise<void> {
    const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    return exited;
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map(killGroup));
  });

  it('counts the descendants of a process that started three sleeps, and their rss and threads', async () => {
    const root = start('three-sleepers.cjs');
    const sampler = new ProcessTreeSampler(root.pid!);
    expect(await waitFor(() => sampler.sample()?.children === 4, 5000)).toBe(true);
    const sample = sampler.sample()!;
    // Three sleeps, one of them under a shell: four descendants.
    expect(sample).toMatchObject({ source: 'os', pid: root.pid, children: 4 });
    // Node alone runs several threads; each sleep and the shell add one.
    expect(sample.threads).toBeGreaterThanOrEqual(4 + 4);
    expect(sample.rss).toBeGreaterThan(20 * 1024 * 1024);
  });

  it('answers undefined once the root process is gone', async () => {
    const root = start('three-sleepers.cjs');
    const sampler = new ProcessTreeSampler(root.pid!);
    expect(sampler.sample()).toBeDefined();
    await killGroup(root);
    expect(sampler.sample()).toBeUndefined();
  });

  it('counts the CPU of short-lived children in the tree', async () => {
    const root = start('busy-children.cjs');
    const sampler = new ProcessTreeSampler(root.pid!);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sample = sampler.sample()!;
    // About one core's worth while a child spins; generous, as the machine is shared.
    expect(sample.cpuPercent).toBeGreaterThan(20);
    expect(sample.cpuPercent).toBeLessThan(250);
  });
});
