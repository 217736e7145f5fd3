import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapDiffRecord } from '../../src/heap/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, repoRoot, runSoak } from '../helpers/soak-cli.js';

/**
 * Services with big heaps. A healthy service with a 300 MB index of small objects, its major GCs made atomic (no incremental or
 * concurrent marking, as on a heap too busy for marking to keep up): each one stops it for hundreds of
 * ms while it runs no code of its own. soak must name the GC, not blocking code.
 */
describe('soak run on big-heap services', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-gc-pause-'));
  afterAll(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 10_000)).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });

  it('reports its long major GCs as gc-pause, a warning, and not as a blocked event loop', async () => {
    const out = join(root, 'big-heap');
    const command = fixtureServer('big-heap.cjs').replace(/^node /, 'node --max-old-space-size=600 --no-incremental-marking ');
    const result = await runSoak(['run', '--cmd', command, '--rate', '200', '--duration', '45s', '--out', out, '--no-progress']);
    const { findings } = readSummary(out);
    const gcPause = findings.find((finding) => finding.kind === 'gc-pause');
    expect(gcPause, JSON.stringify(findings)).toMatchObject({ severity: 'warn', evidence: { worstGcKind: 'major' } });
    expect(gcPause!.evidence.worstGcMs).toBeGreaterThanOrEqual(100);
    expect(gcPause!.evidence.heapUsedAtWorst).toBeGreaterThan(300 * 1024 * 1024);
    expect(findings.filter((finding) => finding.kind === 'event-loop-blocked'), JSON.stringify(findings)).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('freezes no heap over 256 MB for the snapshots its live leak check asks for, and says why', async () => {
    const out = join(root, 'big-heap-leak');
    const ballast = join(repoRoot, 'test/fixtures/ballast.cjs');
    const sessionLeak = join(repoRoot, 'test/heap/fixtures/session-leak.cjs');
    const result = await runSoak(['run', '--cmd', `node -r ${ballast} ${sessionLeak}`, '--rate', '150', '--duration', '60s', '--warmup', '5s', '--no-progress', '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    const record = JSON.parse(readFileSync(join(out, 'heap', 'target-diff.json'), 'utf8')) as HeapDiffRecord;
    expect(record).toMatchObject({ service: 'target', reason: 'leak', maxHeapBytes: 256 * 1024 ** 2, snapshots: [] });
    expect(record.skipped).toMatch(/^its heap was [\d,.]+ MB at snapshot 1, over the 256 MB bound$/);
    expect(readFileSync(join(out, 'events.ndjson'), 'utf8')).not.toMatch(/"cause":"heap-snapshot"/);
  });
});
