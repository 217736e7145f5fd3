import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runSoak } from '../helpers/soak-cli.js';
import { soakStartedPids, waitFor } from '../helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'soak-crash-loop-'));
afterAll(async () => {
  expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  rmSync(root, { recursive: true, force: true });
});

interface Summary {
  findings: { kind: string; evidence: Record<string, unknown> }[];
}

async function runSupervisor(variant: 'buggy' | 'fixed', duration: string): Promise<Summary> {
  const out = join(root, variant);
  await runSoak(['run', '--cmd', `VARIANT=${variant} WORKER_CRASH_AFTER_MS=500 node ${join(repoRoot, 'targets/crash-loop/server.js')}`, '--ready', '/health', '--path', '/work?n=1000', '--rate', '10', '--duration', duration, '--out', out, '--no-progress']);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
}

// Both variants side by side: the findings count crashes and exits, not time, and each run has its own
// --out; so nothing soak started may be left running is checked once both are done.
describe.concurrent('crash loops behind a supervisor soak does not run', () => {
  it('flags a supervisor that restarts its crashing worker forever, from the workers\' own exit records', async () => {
    const summary = await runSupervisor('buggy', '12s');
    const loop = summary.findings.find((finding) => finding.kind === 'crash-loop');
    expect(loop).toBeDefined();
    expect(loop!.evidence.crashesInWindow as number).toBeGreaterThanOrEqual(3);
    expect(loop!.evidence.exitCodes).toEqual([1]);
  }, 90_000);

  it('does not call a supervisor that backs off and gives up a crash loop: its exit is a target-crash', async () => {
    const summary = await runSupervisor('fixed', '35s');
    const kinds = summary.findings.map((finding) => finding.kind);
    expect(kinds).toContain('target-crash');
    expect(kinds).not.toContain('crash-loop');
  }, 90_000);
});
