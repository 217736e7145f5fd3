import { afterEach, describe, expect, it } from 'vitest';
import { getJson, startTarget, stopAllTargets } from '../helpers/targets.js';

// The targets that need no database; pool-exhaustion and lost-update are checked in their own files.
const targets = ['ws-state-leak', 'unbounded-cache', 'event-loop-block', 'process-per-request', 'crash-loop', 'timer-accumulation'];

describe('every target', () => {
  afterEach(stopAllTargets);

  it.each(targets.flatMap((name) => [`${name} buggy`, `${name} fixed`]))('%s: /health says which variant, SIGTERM exits 0', async (label) => {
    const [name, variant] = label.split(' ') as [string, 'buggy' | 'fixed'];
    const target = await startTarget(name, { variant, env: { REPORT_ROWS: '1000' } });
    expect((await getJson(`${target.url}/health`)).body).toMatchObject({ ok: true, variant });
    expect(await target.stop()).toEqual({ code: 0, signal: null });
  });

  it('defaults to the buggy variant', async () => {
    const target = await startTarget('unbounded-cache');
    expect((await getJson(`${target.url}/health`)).body).toMatchObject({ variant: 'buggy' });
  });

  it('refuses an unknown VARIANT with exit 2 and a one-line reason', async () => {
    const target = await startTarget('unbounded-cache', { env: { VARIANT: 'fixd' }, waitForHealth: false });
    expect(await target.exited).toEqual({ code: 2, signal: null });
    expect(target.stderr().trim()).toBe('VARIANT must be "buggy" or "fixed", got "fixd"');
  });

  it('refuses to start without DATABASE_URL where it needs one', async () => {
    const target = await startTarget('lost-update', { env: { DATABASE_URL: '' }, waitForHealth: false });
    expect(await target.exited).toEqual({ code: 2, signal: null });
    expect(target.stderr()).toContain('DATABASE_URL is required');
  });
});
