import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummary, runSoak } from '../helpers/soak-cli.js';

interface Figures {
  intervals: number;
  completed: number;
  throughput: number;
  p99: number | null;
}

describe('fault-impact on a real run', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-fault-impact-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a 3-s SIGSTOP of the target: close to nothing served during it, the burst of answers after it reported as catch-up', async () => {
    const out = join(root, 'sigstop');
    await runSoak(['run', 'test/fixtures/scenarios/target-pause.ts', '--out', out, '--no-progress']);
    const impact = readSummary(out).findings.find((finding) => finding.kind === 'fault-impact');
    expect(impact, JSON.stringify(readSummary(out).findings)).toBeDefined();
    const { during, catchUp, baseline } = impact!.evidence as { during: Figures; catchUp: Figures; baseline: Figures };
    expect(baseline.throughput).toBeGreaterThan(80);
    // The interval the pause began in still served part of a second: at most about a third of the baseline over the pause.
    expect(during.throughput).toBeLessThan(baseline.throughput / 3);
    // About 300 arrivals waited out the pause and were answered once it ended.
    expect(catchUp.intervals).toBeGreaterThanOrEqual(1);
    expect(catchUp.completed).toBeGreaterThan(200);
    expect(catchUp.p99).toBeGreaterThan(1500);
    expect(impact!.evidence.summary).toMatch(/Catch-up after it/);
  });
});
