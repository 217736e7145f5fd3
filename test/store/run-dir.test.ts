import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, runSoak, startSoak } from '../helpers/soak-cli.js';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

describe('one run per directory, private to its owner', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-run-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });
  const run = (out: string, ...extra: string[]) => runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '20', '--duration', '3s', '--out', out, '--no-progress', ...extra]);

  it('refuses --out holding a finished run with one line, leaving its records as they were; --force replaces it', async () => {
    const out = join(root, 'latest');
    expect((await run(out)).code).toBe(0);
    const first = readSummary(out) as unknown as { run: { startedAt: number }; load: { requests: number } };
    const loadLines = lines(join(out, 'load.ndjson'));

    const again = await run(out);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`soak: ${out} already holds a run; give another --out, or --force to replace it`);
    expect(lines(join(out, 'load.ndjson'))).toBe(loadLines);
    expect(readSummary(out)).toEqual(first);

    const forced = await run(out, '--force');
    expect(forced.code).toBe(0);
    const second = readSummary(out) as unknown as { run: { startedAt: number; durationMs: number }; load: { requests: number } };
    expect(second.run.startedAt).toBeGreaterThan(first.run.startedAt);
    expect(second.run.durationMs).toBeGreaterThan(2000);
    expect(second.run.durationMs).toBeLessThan(10_000);
    // Only the new run's requests: about 60 at 20 req/s for 3 s, not both runs' 120.
    expect(second.load.requests).toBeLessThan(90);
  });

  it('refuses a second live run into the same --out while the first goes on undisturbed', async () => {
    const out = join(root, 'shared');
    const first = startSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '20', '--duration', '8s', '--out', out, '--no-progress']);
    expect(await waitFor(() => existsSync(join(out, 'load.ndjson')), 20_000)).toBe(true);
    const second = await run(out, '--force');
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toMatch(new RegExp(`^soak: ${out} is in use by another soak run \\(pid ${first.child.pid}\\); give another --out$`));
    const done = await first.result;
    expect(done.code).toBe(0);
    const summary = readSummary(out) as unknown as { load: { requests: number } };
    expect(summary.load.requests).toBeLessThan(200);
  });

  it('keeps the run directory 0700 and its files 0600, and writes env names but not their values unless --record-env', async () => {
    const scenario = join(root, 'secret.ts');
    (await import('node:fs')).writeFileSync(
      scenario,
      `export default { name: 'secret', target: { cmd: ${JSON.stringify(fixtureServer('clean.cjs'))}, env: { API_TOKEN: 'tok-123456', DB_PASSWORD: 'hunter2' } }, load: { path: '/', phases: [{ duration: '2s', rate: 10 }] } };\n`,
    );
    const out = join(root, 'private');
    expect((await runSoak(['run', scenario, '--out', out, '--no-progress'])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(out).filter((entry) => statSync(join(out, entry)).isFile())) {
      expect([name, statSync(join(out, name)).mode & 0o077]).toEqual([name, 0]);
    }
    const meta = readFileSync(join(out, 'meta.json'), 'utf8');
    expect(meta).not.toContain('tok-123456');
    expect(meta).not.toContain('hunter2');
    expect(JSON.parse(meta).scenario.targets[0].env).toEqual({ API_TOKEN: '[redacted]', DB_PASSWORD: '[redacted]' });

    const recorded = join(root, 'recorded');
    expect((await runSoak(['run', scenario, '--out', recorded, '--no-progress', '--record-env'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(recorded, 'meta.json'), 'utf8')).scenario.targets[0].env).toEqual({ API_TOKEN: 'tok-123456', DB_PASSWORD: 'hunter2' });
  });
});
