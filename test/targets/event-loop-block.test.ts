import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, startTarget, stopAllTargets, type RunningTarget } from '../helpers/targets.js';

interface LoopStats {
  eventLoopDelay: { maxMs: number; p99Ms: number };
}

const login = { user: 'demo', password: 'demo-password' };
/** A near-miss for /^(\w+\s?)*$/: every split of the a's is tried before the "!" fails it. */
const hostile = (length: number) => `${'a'.repeat(length)}!`;
const reportDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('soak-target-report-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Loop delay seen by the target while `work` ran. The monitor records a delay at its next 10 ms
 * tick and skips the first tick after a reset, hence the pauses around the work.
 */
async function loopDelayDuring(target: RunningTarget, work: () => Promise<unknown>): Promise<number> {
  await getJson(`${target.url}/stats?reset=1`);
  await sleep(40);
  await work();
  await sleep(40);
  return (await getJson<LoopStats>(`${target.url}/stats?reset=1`)).body.eventLoopDelay.maxMs;
}

/** Starts `slow`, then asks /health 30 ms later: which answered first? */
async function healthAnswersFirst(target: RunningTarget, slow: () => Promise<unknown>): Promise<boolean> {
  const order: string[] = [];
  const slowDone = slow().then(() => order.push('slow'));
  await sleep(30);
  const healthDone = fetch(`${target.url}/health`).then(() => order.push('health'));
  await Promise.all([slowDone, healthDone]);
  return order[0] === 'health';
}

describe('event-loop-block target', () => {
  let buggy: RunningTarget;
  let fixed: RunningTarget;

  beforeAll(async () => {
    [buggy, fixed] = await Promise.all([startTarget('event-loop-block', { variant: 'buggy' }), startTarget('event-loop-block', { variant: 'fixed' })]);
  });
  afterAll(stopAllTargets);

  it('both variants answer the same things', async () => {
    for (const target of [buggy, fixed]) {
      const report = (await getJson(`${target.url}/report`)).body;
      expect(Object.keys(report.totals).sort()).toEqual(['ap', 'eu', 'latam', 'us']);
      expect((await postJson(`${target.url}/login`, login)).status).toBe(200);
      expect((await postJson(`${target.url}/login`, { ...login, password: 'wrong' })).status).toBe(401);
      expect((await getJson(`${target.url}/search?q=red%20mug`)).body.results).toContain('product 16 red mug');
      expect((await getJson(`${target.url}/search?q=${hostile(12)}`)).status).toBe(400);
    }
    expect((await getJson(`${buggy.url}/report`)).body).toEqual((await getJson(`${fixed.url}/report`)).body);
  });

  it('buggy blocks its event loop for tens of milliseconds on each path', async () => {
    expect(await loopDelayDuring(buggy, () => getJson(`${buggy.url}/report`))).toBeGreaterThanOrEqual(50);
    expect(await loopDelayDuring(buggy, () => postJson(`${buggy.url}/login`, login))).toBeGreaterThanOrEqual(50);
    expect(await loopDelayDuring(buggy, () => getJson(`${buggy.url}/search?q=${hostile(25)}`))).toBeGreaterThanOrEqual(50);
  });

  it('buggy cannot answer /health until a login it is hashing finishes', async () => {
    expect(await healthAnswersFirst(buggy, () => postJson(`${buggy.url}/login`, login))).toBe(false);
  });

  it('fixed answers /health while a report or a login is still being worked on', async () => {
    expect(await healthAnswersFirst(fixed, () => getJson(`${fixed.url}/report`))).toBe(true);
    expect(await healthAnswersFirst(fixed, () => postJson(`${fixed.url}/login`, login))).toBe(true);
  });

  it('fixed rejects a hostile query that the buggy regex could not finish in hours', async () => {
    const started = Date.now();
    expect((await getJson(`${fixed.url}/search?q=${hostile(60)}`)).status).toBe(400);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('exits 0 on SIGTERM and removes its report file', async () => {
    const target = await startTarget('event-loop-block', { variant: 'fixed', env: { REPORT_ROWS: '1000' } });
    const before = reportDirs();
    expect(await target.stop()).toEqual({ code: 0, signal: null });
    const after = reportDirs();
    expect(before.filter((dir) => !after.includes(dir))).toHaveLength(1);
  });
});
