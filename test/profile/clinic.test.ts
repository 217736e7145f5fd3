import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, repoRoot, runSoak } from '../helpers/soak-cli.js';

/** --profile on real runs: the target runs under Clinic.js and the report links what clinic wrote. */
describe('soak run --profile', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-profile-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const leftBehind = () => soakStartedPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(root);
    } catch {
      return false;
    }
  });

  for (const tool of ['doctor', 'flame'] as const) {
    it(`runs the target under clinic ${tool}, probes only the target itself, and links clinic's report from report.html`, async () => {
      const out = join(root, tool);
      const result = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '50', '--duration', '8s', '--sample-interval', '500ms', '--out', out, '--no-progress', '--profile', tool]);
      expect(result.code, result.stderr).toBe(0);

      const summary = readSummary(out) as ReturnType<typeof readSummary> & { profiles: { service: string; tool: string; path: string }[] };
      expect(summary.profiles).toHaveLength(1);
      const [profile] = summary.profiles;
      expect(profile).toMatchObject({ service: 'target', tool });
      expect(profile!.path).toMatch(new RegExp(`^clinic/target/\\d+\\.clinic-${tool}\\.html$`));
      expect(readFileSync(join(out, profile!.path), 'utf8')).toMatch(/^\s*<!DOCTYPE html>/i);
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<a href="${profile!.path}">`);

      // The probe ran in the profiled process, whose pid names clinic's report, and not in clinic itself.
      const pids = new Set(readFileSync(join(out, 'probe.ndjson'), 'utf8').split('\n').filter((line) => line.includes('"source":"node"')).map((line) => (JSON.parse(line) as { pid: number }).pid));
      expect([...pids]).toEqual([Number(/(\d+)\.clinic/.exec(profile!.path)![1])]);
      // Clinic's working files went with its report, not into the directory soak ran from.
      expect(readdirSync(repoRoot).filter((name) => /^(node_trace\.\d+\.log|isolate-.*\.log)$/.test(name))).toEqual([]);
      expect(await waitFor(() => leftBehind().length === 0, 5000)).toBe(true);
    });
  }

  it('refuses, in one line and before starting anything, a target that is not started as "node ..."', async () => {
    const out = join(root, 'not-node');
    const result = await runSoak(['run', '--cmd', 'sh -c "sleep 30"', '--duration', '5s', '--out', out, '--profile', 'flame']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('soak: --profile flame: target "target" must be a local service started as "node ..." (it is "sh -c "sleep 30"")\n');
    expect(existsSync(out)).toBe(false);
    const unknown = await runSoak(['run', '--cmd', 'node x.js', '--profile', 'bubbleprof']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^soak: option '--profile <tool>' argument 'bubbleprof' is invalid\. Allowed choices are flame, doctor\.\n$/);
  });
});
