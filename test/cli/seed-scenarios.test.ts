import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { readSummary, repoRoot, runSoak, type SummaryJson } from '../helpers/soak-cli.js';

/**
 * Seed scenarios whose finding no other real-run test covers without Docker, through the real CLI,
 * both variants side by side: the buggy one must be flagged with the right kind, the fixed one must pass.
 */
describe('seed scenarios: buggy flagged with the right kind, fixed clean', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-seed-scenarios-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 10_000)).toBe(true);
  });

  async function bothVariants(scenario: string): Promise<{ buggy: SummaryJson; fixed: SummaryJson }> {
    const run = async (variant: 'buggy' | 'fixed') => {
      const out = join(root, `${variant}-${scenario.replaceAll('/', '-')}`);
      await runSoak(['run', join(repoRoot, scenario), '--out', out, '--no-progress'], { VARIANT: variant });
      return readSummary(out);
    };
    const [buggy, fixed] = await Promise.all([run('buggy'), run('fixed')]);
    return { buggy, fixed };
  }

  const failing = (summary: SummaryJson) => summary.findings.filter((finding) => finding.severity === 'fail').map((finding) => finding.kind);

  it('lost update: the read-back check counts acknowledged values the buggy read-modify-write lost', async () => {
    const { buggy, fixed } = await bothVariants('scenarios/lost-update.ts');
    const loss = buggy.findings.find((finding) => finding.kind === 'data-loss');
    expect(loss, JSON.stringify(buggy.findings)).toBeDefined();
    const { seriesLost, acknowledgedWrites } = loss!.evidence as { seriesLost: number; acknowledgedWrites: number };
    expect(seriesLost).toBeGreaterThan(0);
    expect(acknowledgedWrites).toBeGreaterThan(1000);
    expect(failing(fixed), JSON.stringify(fixed.findings)).toEqual([]);
  });

  it('websocket state leak: per-disconnect state kept by the buggy server is flagged, the fixed one is clean', async () => {
    const { buggy, fixed } = await bothVariants('test/runtime/fixtures/ws-state-leak-short.ts');
    expect(failing(buggy)).toEqual(expect.arrayContaining(['handle-leak']));
    expect(buggy.load.requests).toBeGreaterThan(0);
    expect(failing(fixed), JSON.stringify(fixed.findings)).toEqual([]);
  });
});
