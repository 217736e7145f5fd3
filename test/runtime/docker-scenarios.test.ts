import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason, soakLabelled } from '../helpers/docker.js';
import { readSummary, runSoak } from '../helpers/soak-cli.js';

const reason = await skipReason('docker seed-scenario tests');
const fixture = (name: string) => new URL(`./fixtures/${name}-short.ts`, import.meta.url).pathname;

interface Outcome {
  verdict: string;
  kinds: string[];
  dir: string;
}

/** Kinds of the findings that count (info ones left out), sorted, each once. */
function outcome(dir: string): Outcome {
  const summary = readSummary(dir);
  const kinds = [...new Set(summary.findings.filter((finding) => finding.severity !== 'info').map((finding) => finding.kind))].sort();
  return { verdict: summary.verdict, kinds, dir };
}

function probeSources(dir: string): Set<string> {
  const lines = readFileSync(join(dir, 'probe.ndjson'), 'utf8').trim().split('\n');
  return new Set(lines.map((line) => JSON.parse(line) as { source: string; service: string }).map((sample) => `${sample.service}:${sample.source}`));
}

describe.skipIf(reason)('seed scenarios in containers give the verdicts of the local runtime', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-docker-seeds-'));
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    expect(await soakLabelled()).toEqual([]);
  });

  /** The same scenario and variant under both runtimes, side by side, so both meet the same machine. */
  async function underBoth(scenario: string, variant: 'buggy' | 'fixed'): Promise<{ local: Outcome; docker: Outcome }> {
    const run = async (runtime: string) => {
      const dir = join(root, `${scenario}-${variant}-${runtime}`);
      const result = await runSoak(['run', fixture(scenario), '--runtime', runtime, '--no-progress', '--out', dir], { VARIANT: variant });
      expect(result.stderr).not.toMatch(/^soak: (?!running)/m);
      return outcome(dir);
    };
    const [local, docker] = await Promise.all([run('local'), run('docker')]);
    return { local, docker };
  }

  it('pool-exhaustion, buggy: the same failure, the pool seen by the probe inside the container', async () => {
    const { local, docker } = await underBoth('pool-exhaustion', 'buggy');
    expect(docker.verdict).toBe(local.verdict);
    expect(docker.kinds).toEqual(local.kinds);
    expect(docker.kinds).toContain('pool-exhaustion');
    const meta = JSON.parse(readFileSync(join(docker.dir, 'meta.json'), 'utf8'));
    expect([meta.scenario.targets[0].runtime, meta.scenario.dependencies[0].runtime]).toEqual(['docker', 'docker']);
    const sources = probeSources(docker.dir);
    for (const expected of ['target:node', 'target:container', 'postgres:container']) expect(sources).toContain(expected);
  });

  it('pool-exhaustion, fixed: passes under both', async () => {
    const { local, docker } = await underBoth('pool-exhaustion', 'fixed');
    expect([local.verdict, docker.verdict]).toEqual(['pass', 'pass']);
  });

  // In a run this short the heap trend may or may not pass its significance test in either runtime;
  // the per-disconnect handle leak is what both must see.
  it('ws-state-leak, buggy: the same leak', async () => {
    const { local, docker } = await underBoth('ws-state-leak', 'buggy');
    expect(docker.verdict).toBe(local.verdict);
    expect(local.kinds).toContain('handle-leak');
    expect(docker.kinds).toContain('handle-leak');
  });

  it('ws-state-leak, fixed: passes under both', async () => {
    const { local, docker } = await underBoth('ws-state-leak', 'fixed');
    expect([local.verdict, docker.verdict]).toEqual(['pass', 'pass']);
  });
});
