import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, gate, isSoakError, run, type ScenarioInput } from '../../src/index.js';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, repoRoot, runSoak } from '../helpers/soak-cli.js';

const root = mkdtempSync(join(tmpdir(), 'soak-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const scenario = (durationSeconds: number): ScenarioInput => ({
  name: 'api-clean',
  target: { cmd: fixtureServer('clean.cjs') },
  load: { kind: 'http', requests: [{ path: '/' }], phases: [{ kind: 'steady', duration: `${durationSeconds}s`, rate: 100 }] },
  analysis: { warmup: '2s' },
});

describe('the programmatic API', () => {
  it('run resolves to the summary it wrote to summary.json, with the exit code soak run would give', async () => {
    const out = join(root, 'first');
    const finished = await run(scenario(6), { out });
    expect(finished.summary).toEqual(readSummary(out));
    expect(finished).toMatchObject({ dir: out, exitCode: 0, reportPath: join(out, 'report.html'), summaryPath: join(out, 'summary.json') });
    expect(finished.summary).toMatchObject({ verdict: 'pass', run: { name: 'api-clean', endReason: 'completed' } });
    expect(finished.summary.load.requests).toBeGreaterThan(300);
  });

  it('an aborted signal stops the run early, and what was gathered is still reported', async () => {
    const controller = new AbortController();
    const out = join(root, 'aborted');
    const running = run(scenario(60), { out, signal: controller.signal, onStatus: (status) => status.elapsedMs > 2000 && controller.abort() });
    const finished = await running;
    expect(finished.summary.run.endReason).toBe('interrupted');
    expect(finished.summary.run.durationMs).toBeLessThan(30_000);
    expect(finished.summary.load.requests).toBeGreaterThan(0);
    expect(readSummary(out).run.endReason).toBe('interrupted');
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });

  it('gate and compare give what soak gate and soak compare write', async () => {
    const before = join(root, 'first');
    const after = join(root, 'second');
    await run(scenario(6), { out: after });
    const gated = await gate({ runDir: after, baseline: before, outDir: join(root, 'gate-api') });
    expect(gated.result).toMatchObject({ verdict: 'pass', name: 'api-clean' });
    expect(gated.result.regression?.checks.length).toBeGreaterThan(0);
    const cli = await runSoak(['gate', after, '--baseline', before, '--out', join(root, 'gate-cli')]);
    expect(cli.code).toBe(0);
    expect(gated.markdown).toBe(readFileSync(join(root, 'gate-cli/summary.md'), 'utf8'));
    expect(readFileSync(gated.junitPath, 'utf8')).toBe(readFileSync(join(root, 'gate-cli/junit.xml'), 'utf8'));

    const compared = await compare(before, after, { out: join(root, 'compare.html') });
    expect(compared.reportPath).toBe(join(root, 'compare.html'));
    expect(compared.comparison.checks.map((check) => check.metric)).toContain('latency-p99');
    expect(readFileSync(compared.reportPath, 'utf8')).toContain('<html');
  });

  it('takes a scenario file too, and rejects a bad one with a SoakError naming the field', async () => {
    const error = await run(join(repoRoot, 'test/fixtures/scenarios/bad-rate.ts'), { out: join(root, 'bad') }).catch((caught: unknown) => caught);
    expect(isSoakError(error)).toBe(true);
    expect((error as Error).message).toMatch(/bad-rate\.ts: load\.phases\[2\]\.rate: /);
  });
});
