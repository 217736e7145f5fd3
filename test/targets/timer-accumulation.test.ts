import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { getJson, postJson, startTarget, stopAllTargets, type RunningTarget, type Variant } from '../helpers/targets.js';

interface Stats {
  sessions: number;
  subscriptions: number;
  refreshTimers: number;
  timeoutHandles: number;
}

const stats = async (target: RunningTarget) => (await getJson<Stats>(`${target.url}/stats`)).body;

/** 30 sessions: 15 log out, the other 15 are left to expire (SESSION_TTL_MS 300 ms). */
async function sessionsComeAndGo(target: RunningTarget): Promise<{ open: Stats; ended: Stats }> {
  const created = await Promise.all(Array.from({ length: 30 }, (_, i) => postJson<{ id: string }>(`${target.url}/session`, { user: `user-${i}` })));
  const ids = created.map((response) => response.body.id);
  expect((await getJson(`${target.url}/session/${ids[0]}`)).status).toBe(200);
  const open = await stats(target);
  for (const id of ids.slice(0, 15)) expect((await getJson(`${target.url}/session/${id}`, { method: 'DELETE' })).status).toBe(200);
  expect(await waitFor(async () => (await stats(target)).sessions === 0, 10_000)).toBe(true);
  return { open, ended: await stats(target) };
}

describe('timer-accumulation target', () => {
  afterEach(stopAllTargets);

  const start = (variant: Variant) => startTarget('timer-accumulation', { variant, env: { REFRESH_MS: '100', SESSION_TTL_MS: '300' } });

  it('buggy keeps a refresh interval and a subscription for every session that ever existed', async () => {
    const { open, ended } = await sessionsComeAndGo(await start('buggy'));
    expect(open).toMatchObject({ sessions: 30, subscriptions: 30, refreshTimers: 30 });
    expect(ended).toMatchObject({ sessions: 0, subscriptions: 30, refreshTimers: 30 });
    expect(ended.timeoutHandles).toBeGreaterThanOrEqual(30);
  });

  it('fixed stops the interval and unsubscribes on logout and on expiry', async () => {
    const { open, ended } = await sessionsComeAndGo(await start('fixed'));
    expect(open).toMatchObject({ sessions: 30, subscriptions: 30, refreshTimers: 30 });
    expect(ended).toMatchObject({ sessions: 0, subscriptions: 0, refreshTimers: 0 });
    // The session sweeper is the one timer left.
    expect(ended.timeoutHandles).toBeLessThanOrEqual(2);
  });

  it('exits 0 on SIGTERM with refresh timers running', async () => {
    const target = await start('buggy');
    await postJson(`${target.url}/session`, { user: 'u' });
    expect(await target.stop()).toEqual({ code: 0, signal: null });
  });
});
