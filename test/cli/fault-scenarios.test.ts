import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { readSummary, repoRoot, runSoak, type SummaryJson } from '../helpers/soak-cli.js';

/**
 * The fault scenarios through the real CLI, cut to ~30 s (test/fixtures/scenarios/fault-*.ts):
 * a real PostgreSQL frozen, killed and restarted, or slowed behind the fault proxy, with both
 * variants of each target side by side. The buggy one must be flagged, the fixed one must pass.
 */
describe('fault scenarios: buggy flagged, fixed clean', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-fault-scenarios-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 10_000)).toBe(true);
  });

  async function bothVariants(fixture: string): Promise<{ buggy: SummaryJson; fixed: SummaryJson; codes: (number | null)[] }> {
    const run = async (variant: 'buggy' | 'fixed') => {
      const out = join(root, `${fixture}-${variant}`);
      const result = await runSoak(['run', join(repoRoot, 'test/fixtures/scenarios', `${fixture}.ts`), '--out', out, '--no-progress'], { VARIANT: variant });
      return { code: result.code, summary: readSummary(out) };
    };
    const [buggy, fixed] = await Promise.all([run('buggy'), run('fixed')]);
    return { buggy: buggy.summary, fixed: fixed.summary, codes: [buggy.code, fixed.code] };
  }

  const failing = (summary: SummaryJson) => summary.findings.filter((finding) => finding.severity === 'fail').map((finding) => finding.kind);
  const recoveryOf = (summary: SummaryJson) => summary.findings.find((finding) => finding.kind === 'recovery' || finding.kind === 'slow-recovery');

  it('a frozen database: buggy recovers slowly from its backlog, fixed fails fast and recovers within the budget', async () => {
    const { buggy, fixed, codes } = await bothVariants('fault-upstream-pause');
    expect(failing(buggy)).toContain('slow-recovery');
    expect(recoveryOf(buggy)!.severity).toBe('fail');
    expect(recoveryOf(fixed)).toMatchObject({ kind: 'recovery', severity: 'info' });
    // The breaker's trial connections run into their timeout while the database is frozen: the fault's doing, not an exhausted pool.
    expect(failing(fixed), JSON.stringify(fixed.findings)).toEqual([]);
    expect(codes).toEqual([1, 0]);
  }, 120_000);

  it('a database killed and restarted: buggy never recovers although every request is answered at once, fixed is back', async () => {
    const { buggy, fixed } = await bothVariants('fault-db-restart');
    // Quick 500s are not a recovery.
    expect(recoveryOf(buggy)).toMatchObject({ kind: 'slow-recovery', severity: 'fail', evidence: { recoveryMs: null } });
    expect(failing(buggy)).toContain('error-rate');
    // Fixed is back within the run: how fast depends on how soon the restarted database answers on a
    // loaded machine, so the recovery budget is the accuracy bench's to judge, not this test's.
    expect(recoveryOf(fixed)!.evidence.recoveryMs, JSON.stringify(fixed.findings)).toEqual(expect.any(Number));
    expect(failing(fixed).filter((kind) => kind !== 'slow-recovery'), JSON.stringify(fixed.findings)).toEqual([]);
  }, 120_000);

  it('a slow database link: the buggy pool starves, the fixed one keeps up', async () => {
    const { buggy, fixed, codes } = await bothVariants('fault-pool-latency');
    expect(failing(buggy)).toContain('pool-exhaustion');
    expect(failing(fixed), JSON.stringify(fixed.findings)).toEqual([]);
    expect(codes).toEqual([1, 0]);
  }, 120_000);
});
