import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { healthyServer, linkSoak, tempProject } from '../helpers/project.js';
import { repoRoot, runSoakIn } from '../helpers/soak-cli.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  'continue-on-error'?: boolean;
}

interface Workflow {
  on: { push: { branches: string[] }; pull_request: unknown };
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const workflow = parse(readFileSync(join(repoRoot, 'docs/ci/github-actions.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs)[0]!.steps;
const action = (name: string) => steps.filter((step) => step.uses?.startsWith(`${name}@`));
const project = tempProject({ 'package.json': JSON.stringify({ name: 'orders-api', private: true, scripts: { start: 'node server.js' } }), 'server.js': healthyServer });
linkSoak(project.dir);
afterAll(() => project.remove());

type Event = 'push' | 'pull_request';

/** Whether a step runs on this event: the workflow's conditions name the event, or always(). */
function runsOn(step: Step, event: Event): boolean {
  if (!step.if) return true;
  if (step.if === 'always()') return true;
  const named = /github\.event_name == '(\w+)'/.exec(step.if);
  if (!named) throw new Error(`a condition this emulation does not know: ${step.if}`);
  return named[1] === event;
}

/**
 * One job of the workflow on this machine, step by step as the runner would: shell steps in bash -e in the
 * checkout, the cache and artifact actions by copying their paths, setup steps (checkout, node, npm ci) as
 * done already (soak is linked into the project). A failed step ends the job unless continue-on-error.
 */
function runJob(event: Event, cacheDir: string, stepSummary: string): { ran: string[]; failed?: string } {
  const ran: string[] = [];
  for (const step of steps) {
    if (!runsOn(step, event)) continue;
    const label = step.name ?? step.uses ?? step.run!;
    let ok = true;
    if (step.uses?.startsWith('actions/cache/save@')) {
      cpSync(join(project.dir, step.with!.path!), join(cacheDir, step.with!.path!), { recursive: true });
    } else if (step.uses?.startsWith('actions/cache/restore@')) {
      if (existsSync(join(cacheDir, step.with!.path!))) cpSync(join(cacheDir, step.with!.path!), join(project.dir, step.with!.path!), { recursive: true });
    } else if (step.uses?.startsWith('actions/upload-artifact@')) {
      ok = step.with!.path!.trim().split('\n').every((path) => existsSync(join(project.dir, path.trim())));
    } else if (step.run && step.run !== 'npm ci') {
      const result = spawnSync('bash', ['-e', '-c', step.run], { cwd: project.dir, env: { ...process.env, GITHUB_STEP_SUMMARY: stepSummary }, encoding: 'utf8', timeout: 120_000 });
      ok = result.status === 0;
    }
    ran.push(label);
    if (!ok && !step['continue-on-error']) return { ran, failed: label };
  }
  return { ran };
}

describe('the GitHub Actions recipe (docs/ci/github-actions.yml, written by soak init --ci github)', () => {
  it('runs on pushes to main and on pull requests, with the steps of a soak gate against the baseline of main', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on).toHaveProperty('pull_request');
    expect(steps.slice(0, 3).map((step) => step.uses ?? step.run)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'npm ci']);
    expect(steps[1]!.with).toMatchObject({ 'node-version': 20 });
    const [restore] = action('actions/cache/restore');
    const [save] = action('actions/cache/save');
    expect(restore).toMatchObject({ if: "github.event_name == 'pull_request'", with: { path: 'soak-baseline', 'restore-keys': 'soak-baseline-' } });
    expect(save).toMatchObject({ if: "github.event_name == 'push'", with: { path: 'soak-baseline' } });
    expect(save!.with!.key).toMatch(/^soak-baseline-/);
    const runs = steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('npx soak run soak.scenario.ts --out soak-run');
    expect(runs).toContain('npx soak gate soak-run --baseline soak-baseline');
    const [upload] = action('actions/upload-artifact');
    expect(upload!.if).toBe('always()');
    expect(upload!.with!.path).toContain('soak-run/report.html');
    expect(upload!.with!.path).toContain('soak-run/junit.xml');
  });

  it('on this machine: a push to main keeps a baseline, and a pull request is gated against it with summary.md in the step summary', async () => {
    const init = await runSoakIn(project.dir, ['init', '--duration', '12s']);
    expect(init.code).toBe(0);
    const cacheDir = mkdtempSync(join(tmpdir(), 'soak-actions-cache-'));
    const summaries = mkdtempSync(join(tmpdir(), 'soak-step-summary-'));
    try {
      const main = runJob('push', cacheDir, join(summaries, 'main.md'));
      expect(main.failed).toBeUndefined();
      expect(main.ran).toContain('Save the baseline of main');
      expect(existsSync(join(cacheDir, 'soak-baseline/summary.json'))).toBe(true);

      // A pull request's job starts from a fresh checkout.
      for (const dir of ['soak-run', 'soak-baseline']) rmSync(join(project.dir, dir), { recursive: true, force: true });
      const pr = runJob('pull_request', cacheDir, join(summaries, 'pr.md'));
      expect(pr.failed).toBeUndefined();
      expect(pr.ran).not.toContain('Save the baseline of main');
      const stepSummary = readFileSync(join(summaries, 'pr.md'), 'utf8');
      expect(stepSummary).toContain('## soak gate: ✅ PASS — orders-api');
      // Issue 12: the headline says what happened (no regression: unchanged or improved, with what it counts), and each row shows the tested per-bucket medians with the whole-run figures apart.
      expect(stepSummary).toMatch(/ · against `soak-baseline`: (unchanged|improved): /);
      expect(stepSummary).toMatch(/\| latency-p99 \| http \| [\d.]+ ms → [\d.]+ ms \(median of [\d.]+ s (?:buckets|blocks): \d+ and \d+\) \| .* \| [\d.]+ ms → [\d.]+ ms \|/);
      expect(readFileSync(join(project.dir, 'soak-run/junit.xml'), 'utf8')).toContain('regression');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      rmSync(summaries, { recursive: true, force: true });
    }
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });
});
