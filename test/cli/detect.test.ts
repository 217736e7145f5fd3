import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, runSoak } from '../helpers/soak-cli.js';

/**
 * Whole runs of the real CLI against real servers, one per failure class. Runs are short, so
 * rates and sizes are chosen to make each problem plain within ~25 s.
 */
describe('soak run detects what goes wrong', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-detect-'));
  // Checked once at the end: the memory, handle and crash tests run side by side (their figures do not
  // depend on timing), so between two of them another one's processes are still up.
  afterAll(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });

  async function run(name: string, server: string, extra: string[], env: Record<string, string> = {}) {
    const out = join(root, name);
    const result = await runSoak(['run', '--cmd', fixtureServer(server), '--out', out, '--no-progress', '--sample-interval', '500ms', ...extra], env);
    return { result, summary: readSummary(out), kinds: readSummary(out).findings.map((finding) => finding.kind) };
  }

  it('passes a clean server with no findings and exit code 0', async () => {
    const { result, summary } = await run('clean', 'clean.cjs', ['--rate', '100', '--duration', '15s']);
    expect(summary.findings).toEqual([]);
    expect(summary.verdict).toBe('pass');
    expect(result.code).toBe(0);
    expect(summary.load.requests).toBeGreaterThan(1200);
  });

  it.concurrent('flags a leaking server as memory-leak with a growth rate and a time to OOM', async () => {
    const { result, summary } = await run('leak', 'leak.cjs', ['--rate', '40', '--duration', '30s', '--warmup', '5s'], { LEAK_BYTES: '100000' });
    const leak = summary.findings.find((finding) => finding.kind === 'memory-leak');
    expect(leak, JSON.stringify(summary.findings)).toBeDefined();
    expect(result.code).toBe(1);
    expect(JSON.stringify(leak!.evidence)).toMatch(/MB/);
  });

  it.concurrent('does not flag a bounded cache that fills and then stays flat', async () => {
    const { kinds } = await run('bounded', 'bounded-cache.cjs', ['--rate', '60', '--duration', '30s', '--warmup', '3s'], { CACHE_MAX: '300' });
    expect(kinds).not.toContain('memory-leak');
  });

  it.concurrent('does not flag a garbage-heavy sawtooth heap', async () => {
    const { kinds } = await run('sawtooth', 'sawtooth.cjs', ['--rate', '60', '--duration', '25s', '--warmup', '3s']);
    expect(kinds).not.toContain('memory-leak');
  });

  it.concurrent('flags a server that leaks timers as handle-leak', async () => {
    const { summary } = await run('timers', 'timer-leak.cjs', ['--rate', '30', '--duration', '20s', '--warmup', '3s']);
    const leak = summary.findings.find((finding) => finding.kind === 'handle-leak');
    expect(leak, JSON.stringify(summary.findings)).toBeDefined();
    expect(JSON.stringify(leak!.evidence)).toContain('Timeout');
  });

  it.concurrent('flags a server that crashes mid-run, with its stderr', async () => {
    const { result, summary } = await run('crash', 'crashing.cjs', ['--rate', '50', '--duration', '30s'], { CRASH_AFTER_MS: '4000' });
    const crash = summary.findings.find((finding) => finding.kind === 'target-crash');
    expect(crash, JSON.stringify(summary.findings)).toBeDefined();
    expect(JSON.stringify(crash!.evidence)).toContain('connection to <db> lost');
    expect(result.code).toBe(1);
    // The load stops once the target is gone rather than hammering a dead port for 30 s.
    expect(Number(summary.run.durationMs)).toBeLessThan(20_000);
  });

  it('flags a server that blocks its event loop', async () => {
    const { summary } = await run('blocking', 'blocking.cjs', ['--rate', '50', '--duration', '12s']);
    const blocked = summary.findings.find((finding) => finding.kind === 'event-loop-blocked');
    expect(blocked, JSON.stringify(summary.findings)).toBeDefined();
  });
});
