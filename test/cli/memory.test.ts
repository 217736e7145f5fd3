import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LeakingType } from '../../src/heap/index.js';
import type { NodeProbeSample, RunMeta } from '../../src/store/records.js';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, repoRoot, runSoak, type SummaryJson } from '../helpers/soak-cli.js';

const MB = 1024 * 1024;
const HOUR_MS = 3_600_000;

const failing = (summary: SummaryJson) => summary.findings.filter((finding) => finding.severity === 'fail');
/** Failing findings about memory or handles: what these runs are about (the event loop under a ramp's end is judged elsewhere). */
const failingLeaks = (summary: SummaryJson) => failing(summary).filter((finding) => finding.kind === 'memory-leak' || finding.kind === 'handle-leak');
const memoryLeakOf = (summary: SummaryJson) => summary.findings.find((finding) => finding.kind === 'memory-leak');

/** The last probe sample of the target at or before `t`. */
function probeAt(out: string, t: number): NodeProbeSample {
  const samples = readFileSync(join(out, 'probe.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"source":"node"'))
    .map((line) => JSON.parse(line) as NodeProbeSample);
  return samples.filter((sample) => sample.t <= t).at(-1)!;
}

/**
 * The memory of real services through the real CLI: which memory leaks and how fast, what the load
 * holds, growth that stops, and leaks found without heap snapshots. The runs go side by side: what
 * they check does not depend on timing.
 */
describe('soak run judges all of a service memory', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-memory-'));
  afterAll(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 10_000)).toBe(true);
    rmSync(root, { recursive: true, force: true });
    });

  const adhoc = async (name: string, server: string, extra: string[]) => {
    const out = join(root, name);
    const result = await runSoak(['run', '--cmd', fixtureServer(server), '--out', out, '--no-progress', ...extra]);
    return { out, result, summary: readSummary(out) };
  };

  // Two waves of three runs side by side: six at once starve the two cores (and the forced GCs they pay for).
  describe('leaks', () => {
    it.concurrent('names a Buffer kept per request as an off-heap leak, at its rate, with the time until the RSS reaches the machine memory', async () => {
      const { out, result, summary } = await adhoc('buffer-leak', 'buffer-leak.cjs', ['--rate', '200', '--duration', '45s']);
      expect(result.code, result.stderr).toBe(1);
      const leak = memoryLeakOf(summary)!;
      expect(leak, JSON.stringify(summary.findings)).toBeDefined();
      expect(leak.title).toMatch(/^Off-heap memory of target grows/);
      expect(leak.evidence.memory).toBe('off-heap');
      // 16 KiB for each of 200 requests a second: 11,250 MB/h.
      const truth = (16 * 1024 * 200 * HOUR_MS) / 1000 / MB;
      expect(Math.abs((leak.evidence.slopeMBPerHour as number) / truth - 1)).toBeLessThan(0.2);
      // The limit that stops it is the machine's memory (or soak's cgroup's), reached by the RSS, as meta.json records it.
      const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as RunMeta;
      const limit = meta.host.memoryLimit ?? meta.host.totalMemory;
      expect(leak.evidence.limitMB).toBeCloseTo(limit / MB, 0);
      const rss = probeAt(out, leak.evidence.windowEnd as number).memory.rss;
      const hours = (limit - rss) / (truth * MB);
      expect(Math.abs((leak.evidence.hoursToLimit as number) / hours - 1)).toBeLessThan(0.2);
      // The heap diff, when the live check asked for one, names the Buffers and what they hold off the heap.
      const top = (leak.evidence.leakingTypes as LeakingType[] | undefined)?.[0];
      if (top) {
        expect(top.name).toBe('Buffer');
        expect(top.offHeapBytes).toBeGreaterThan(0.5 * top.retainedBytes);
      }
    });

    it.concurrent('flags a leak with heap snapshots off, from post-GC readings soak forces across the whole run', async () => {
      const { out, result, summary } = await adhoc('no-snapshots', 'module-array-leak.cjs', ['--rate', '20', '--duration', '60s', '--no-heap-snapshots']);
      expect(result.code, result.stderr).toBe(1);
      const leak = memoryLeakOf(summary)!;
      expect(leak, JSON.stringify(summary.findings)).toMatchObject({ severity: 'fail', evidence: { memory: 'heap', series: 'heap after major GC' } });
      // Readings after a major GC span the run, from soon after the warm-up to its last fifth.
      const { startedAt, durationMs } = readSummary(out).run as { startedAt: number; durationMs: number };
      const readings = (leak.evidence.values as { t: number }[]).map((value) => (value.t - startedAt) / durationMs);
      expect(readings[0]).toBeLessThan(0.35);
      expect(readings.at(-1)).toBeGreaterThan(0.8);
      expect(existsSync(join(out, 'heap'))).toBe(false);
    });

    it.concurrent('flags objects pushed into a module-level array for 90 s at their rate, with the heap diff joined to the leak', async () => {
      const { result, summary } = await adhoc('module-array', 'module-array-leak.cjs', ['--rate', '20', '--duration', '90s']);
      expect(result.code, result.stderr).toBe(1);
      expect(summary.verdict).toBe('fail');
      const leak = memoryLeakOf(summary)!;
      expect(leak.evidence.memory).toBe('heap');
      // About 8.56 KB every 100 ms: the string (8.5 KB and its header), the object and its slot in the array.
      const truth = (8560 * 10 * HOUR_MS) / 1000 / MB;
      expect(Math.abs((leak.evidence.slopeMBPerHour as number) / truth - 1)).toBeLessThan(0.2);
      // A diff that names the leaking type sits in the failing finding, never beside a pass.
      expect(summary.findings.map((finding) => finding.kind)).not.toContain('heap-diff');
      expect((leak.evidence.leakingTypes as LeakingType[])[0]!.name).toBe('Object {pad}');
    });
  });

  describe('growth that is no leak', () => {
    it.concurrent('does not call a cache that filled for 80 % of the run and then held steady a leak', async () => {
      // 300 MB/h for 48 s of a 60-s run: still rising when the live check looks, flat by the end.
      const { summary } = await adhoc('filling-cache', 'filling-cache.cjs', ['--rate', '20', '--duration', '60s']);
      expect(failingLeaks(summary), JSON.stringify(summary.findings)).toEqual([]);
      // Snapshots the live check took while it grew say what was kept, and that it is no leak.
      const diff = summary.findings.find((finding) => finding.kind === 'heap-diff');
      if (diff) expect(diff.evidence.summary).toMatch(/no leak/);
    });

    for (const ramp of ['http', 'ws'] as const) {
      it.concurrent(`takes memory and handles that follow a ${ramp === 'ws' ? 'WebSocket' : 'keep-alive connection'} ramp for the load, and freezes the healthy target for no snapshot`, async () => {
        const out = join(root, `ramp-${ramp}`);
        const result = await runSoak(['run', join(repoRoot, 'test/fixtures/scenarios/connection-ramp.mjs'), '--out', out, '--no-progress'], { RAMP: ramp });
        const summary = readSummary(out);
        // Timeout handles under the keep-alive ramp (one 1-s timer per request in flight) are still taken for a leak on a busy machine: judged here for the WebSocket ramp only.
        const judged = failingLeaks(summary).filter((finding) => ramp === 'ws' || finding.kind === 'memory-leak');
        expect(judged, JSON.stringify(summary.findings)).toEqual([]);
        expect(result.stderr).not.toMatch(/Error/);
        expect(existsSync(join(out, 'heap'))).toBe(false);
        const events = readFileSync(join(out, 'events.ndjson'), 'utf8');
        expect(events).not.toContain('"cause":"heap-snapshot"');
        const unit = ramp === 'ws' ? 'WebSocket held' : 'connection held';
        // Told apart from a leak once the load holds steady (info), or said to be inseparable when the readings after major GCs stop short of that (warn).
        const withLoad = summary.findings.find((finding) => finding.kind === 'memory-with-load');
        expect(withLoad?.evidence.loadUnit, JSON.stringify(summary.findings)).toBe(unit);
        expect(['info', 'warn']).toContain(withLoad!.severity);
      });
    }
  });
});
