import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeapDiffRecord, LeakingType } from '../../src/heap/index.js';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { readSummary, repoRoot, runSoak } from '../helpers/soak-cli.js';

const sessionLeak = `node ${fileURLToPath(new URL('./fixtures/session-leak.cjs', import.meta.url))}`;

const readDiff = (out: string): HeapDiffRecord => JSON.parse(readFileSync(join(out, 'heap', 'target-diff.json'), 'utf8')) as HeapDiffRecord;
const snapshotFiles = (out: string) => readdirSync(join(out, 'heap')).filter((name) => name.endsWith('.heapsnapshot'));
const leakingTypesOf = (out: string) => readSummary(out).findings.find((finding) => finding.kind === 'memory-leak')?.evidence.leakingTypes as LeakingType[] | undefined;

/**
 * Whole runs of the CLI with heap snapshots: the three-snapshot diff must name the type that
 * really leaks, on a fixture whose leak is a named class and on the seed targets.
 */
describe('heap snapshots name what leaks', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-heap-runs-'));
  // The runs go side by side (what they check does not depend on timing): processes are checked once, at the end.
  afterAll(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });

  it.concurrent('names the leaking class first when asked (--heap-snapshots), deletes the snapshots, and soak report rebuilds it', async () => {
    const out = join(root, 'asked');
    const result = await runSoak(['run', '--cmd', sessionLeak, '--rate', '150', '--duration', '30s', '--warmup', '5s', '--heap-snapshots', '--no-progress', '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    const record = readDiff(out);
    expect(record).toMatchObject({ service: 'target', reason: 'asked', maxSnapshots: 3, kept: false });
    expect(record.snapshots).toHaveLength(3);
    expect(snapshotFiles(out)).toEqual([]);
    const [top] = record.diff!.leakingTypes;
    expect(top!.name).toBe('SessionRecord');
    // Each record holds a 4 KB token: what the class retains is mostly that.
    expect(top!.retainedBytes).toBeGreaterThan(top!.count * 4096);
    expect(top!.retainerPath.join(' → ')).toMatch(/\.sessions → Map @\d+ \.table → .+ → SessionRecord @\d+$/);

    expect(leakingTypesOf(out)?.[0]?.name).toBe('SessionRecord');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<table class="leaking-types">.*SessionRecord/s);

    rmSync(join(out, 'summary.json'));
    rmSync(join(out, 'report.html'));
    const rebuilt = await runSoak(['report', out]);
    expect(rebuilt.code, rebuilt.stderr).toBe(1);
    expect(leakingTypesOf(out)?.[0]?.name).toBe('SessionRecord');

    // The gate's JUnit failure for the leak names the type too: it is what a CI log shows.
    const gated = await runSoak(['gate', out]);
    expect(gated.code, gated.stderr).toBe(1);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<failure type="memory-leak" [^>]*>[^<]*SessionRecord retains most/);
  });

  it.concurrent('names the cache entry on the unbounded-cache seed target (buggy)', async () => {
    const out = join(root, 'unbounded-cache');
    const result = await runSoak(['run', join(repoRoot, 'test/fixtures/scenarios/heap-unbounded-cache.ts'), '--no-progress', '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    // cache.set(id, { body, tags }): the entries the Map never evicts.
    expect(readDiff(out).diff!.leakingTypes[0]).toMatchObject({ name: 'Object {body, tags}' });
    expect(readDiff(out).diff!.leakingTypes[0]!.retainerPath.join(' → ')).toMatch(/\.cache → Map @\d+ \.table → .+ → Object \{body, tags\} @\d+$/);
    expect(leakingTypesOf(out)?.[0]?.name).toBe('Object {body, tags}');
  });

  it.concurrent('names the peer registry entry on the ws-state-leak seed target (buggy)', async () => {
    const out = join(root, 'ws-state-leak');
    const result = await runSoak(['run', join(repoRoot, 'test/fixtures/scenarios/heap-ws-state-leak.ts'), '--no-progress', '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    // peers.set(peerId, { socket, rooms, resumeBuffer, typingTimer, ... }): kept after every disconnect.
    const [top] = readDiff(out).diff!.leakingTypes;
    expect(top!.name).toMatch(/^Object \{socket, rooms, resumeBuffer, typingTimer\b/);
    expect(top!.retainerPath.join(' → ')).toMatch(/\.peers → Map @\d+ \.table → .+ → Object \{socket, rooms, resumeBuffer/);
    expect(existsSync(join(out, 'heap', 'target-1.heapsnapshot'))).toBe(false);
  });

  // Alone: when the live leak test fires depends on the samples arriving on time.
  it('takes them by default once the live leak test flags the service, and keeps the files when told', async () => {
    const out = join(root, 'on-leak');
    const result = await runSoak(['run', '--cmd', sessionLeak, '--rate', '150', '--duration', '30s', '--warmup', '5s', '--keep-heap-snapshots', '--no-progress', '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    const record = readDiff(out);
    expect(record).toMatchObject({ reason: 'leak', kept: true });
    expect(record.diff!.leakingTypes[0]!.name).toBe('SessionRecord');
    expect(snapshotFiles(out)).toEqual(['target-1.heapsnapshot', 'target-2.heapsnapshot', 'target-3.heapsnapshot']);
  });
});
