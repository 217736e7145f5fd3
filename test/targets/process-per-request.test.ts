import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/processes.js';
import { descendantPids, postJson, startTarget, stopAllTargets, type RunningTarget, type Variant } from '../helpers/targets.js';

/** Sends `requests` at once and samples the target's process tree until they have all answered. */
async function burst(target: RunningTarget, requests: number): Promise<{ statuses: number[]; peakChildren: number; seen: Set<number> }> {
  let peakChildren = 0;
  const seen = new Set<number>();
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const children = descendantPids(target.pid);
      for (const pid of children) seen.add(pid);
      peakChildren = Math.max(peakChildren, children.length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const responses = await Promise.all(Array.from({ length: requests }, (_, i) => postJson(`${target.url}/analyse`, { input: `job-${i}` })));
  done = true;
  await sampler;
  return { statuses: responses.map((response) => response.status), peakChildren, seen };
}

describe('process-per-request target', () => {
  afterEach(stopAllTargets);

  const start = (variant: Variant) => startTarget('process-per-request', { variant, env: { TASK_MS: '300' } });

  it('buggy runs one process per concurrent request', async () => {
    const target = await start('buggy');
    const { statuses, peakChildren, seen } = await burst(target, 16);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(peakChildren).toBeGreaterThanOrEqual(10);
    expect(seen.size).toBeGreaterThanOrEqual(16);
  });

  it('fixed runs every request on the same 4 processes', async () => {
    const target = await start('fixed');
    const { statuses, peakChildren, seen } = await burst(target, 16);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(peakChildren).toBe(4);
    expect(seen.size).toBe(4);
  });

  it('fixed refuses work beyond its queue with 503 at once', async () => {
    const target = await startTarget('process-per-request', { variant: 'fixed', env: { TASK_MS: '300', QUEUE_MAX: '2' } });
    const { statuses } = await burst(target, 10);
    // 4 running + 2 queued are served; the rest find the queue full.
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.filter((status) => status === 503)).toHaveLength(4);
  });

  it.each(['buggy', 'fixed'] as const)('%s leaves no tool process behind on SIGTERM', async (variant) => {
    const target = await start(variant);
    const inflight = postJson(`${target.url}/analyse`, { input: 'x' }).catch(() => undefined);
    const pending = Array.from({ length: 6 }, () => postJson(`${target.url}/analyse`, { input: 'y' }).catch(() => undefined));
    let children: number[] = [];
    for (let i = 0; i < 50 && children.length < 4; i += 1) {
      children = descendantPids(target.pid);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(children.length).toBeGreaterThanOrEqual(4);
    // stop() signals only the target itself; its children must go because it takes them down.
    target.child.kill('SIGTERM');
    expect(await target.exited).toEqual({ code: 0, signal: null });
    await Promise.all([inflight, ...pending]);
    expect(children.filter(isAlive)).toEqual([]);
  });
});
