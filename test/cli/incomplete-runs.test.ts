import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, runSoak, startSoak } from '../helpers/soak-cli.js';

/** A run that did not carry out its plan never passes: not from `soak run`, `soak report` nor `soak gate`. */
describe('incomplete runs', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-incomplete-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });

  const junitFailures = (dir: string) => Number(/<testsuites [^>]*failures="(\d+)"/.exec(readFileSync(join(dir, 'junit.xml'), 'utf8'))?.[1]);
  const loadStarted = (dir: string) => existsSync(join(dir, 'load.ndjson')) && readFileSync(join(dir, 'load.ndjson'), 'utf8').length > 0;

  /** A 60 s run at 50 req/s, sent `signal` `afterMs` into its load; resolves with how soak ended. */
  async function stopRun(out: string, signal: NodeJS.Signals, afterMs: number) {
    const { child, result } = startSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '50', '--duration', '60s', '--out', out, '--no-progress']);
    expect(await waitFor(() => loadStarted(out), 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    child.kill(signal);
    return result;
  }

  it('a run stopped by SIGTERM (a CI job timeout) exits 143, incomplete, and its gate exits 3', async () => {
    const out = join(root, 'sigterm');
    const finished = await stopRun(out, 'SIGTERM', 3000);
    expect(finished.code).toBe(143);
    expect(finished.stdout).toMatch(/verdict: INCOMPLETE/);
    const summary = readSummary(out);
    expect(summary.verdict).toBe('incomplete');
    expect(summary.run.incomplete).toMatchObject({ reason: 'interrupted' });
    expect(summary.load.requests).toBeGreaterThan(50);

    const gate = await runSoak(['gate', out]);
    expect(gate.code).toBe(3);
    expect(gate.stdout).toMatch(/gate: INCOMPLETE/);
    expect(junitFailures(out)).toBeGreaterThan(0);
  });

  it('a run killed with SIGKILL 8 s into 60 s is incomplete for report and gate (exit 3); --allow-partial judges what it gathered', async () => {
    const out = join(root, 'sigkill');
    await stopRun(out, 'SIGKILL', 8000);

    const report = await runSoak(['report', out]);
    expect(report.code).toBe(3);
    expect(readSummary(out)).toMatchObject({ verdict: 'incomplete', run: { incomplete: { reason: 'killed' } } });
    const gate = await runSoak(['gate', out]);
    expect(gate.code).toBe(3);
    expect(junitFailures(out)).toBeGreaterThan(0);

    const partial = await runSoak(['report', out, '--allow-partial']);
    expect(partial.code).toBe(0);
    expect(readSummary(out)).toMatchObject({ verdict: 'pass', run: { incomplete: { reason: 'killed' } } });
    expect((await runSoak(['gate', out, '--allow-partial'])).code).toBe(0);
  });

  it('a run killed before its target was ready (no request) is incomplete, even with --allow-partial', async () => {
    const out = join(root, 'never-ready');
    const silent = `node -e "setInterval(() => {}, 1000)"`;
    const { child, result } = startSoak(['run', '--cmd', silent, '--duration', '60s', '--ready-timeout', '60s', '--out', out, '--no-progress']);
    expect(await waitFor(() => existsSync(join(out, 'events.ndjson')) && soakStartedPids().length > 0, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    child.kill('SIGKILL');
    await result;

    const gate = await runSoak(['gate', out, '--allow-partial']);
    expect(gate.code).toBe(3);
    expect(gate.stdout).toMatch(/\[incomplete\] .*before the target was ready/);
    expect(junitFailures(out)).toBeGreaterThan(0);
    expect((await runSoak(['report', out])).code).toBe(3);
  });
});
