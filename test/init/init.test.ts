import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initProject } from '../../src/init/index.js';
import { loadScenarioFile } from '../../src/wiring/index.js';
import { linkSoak, healthyServer, tempProject, type TempProject } from '../helpers/project.js';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { readSummary, repoRoot, runSoakIn } from '../helpers/soak-cli.js';

const projects: TempProject[] = [];
afterEach(() => {
  for (const project of projects.splice(0)) project.remove();
});

function project(files: Record<string, string>): string {
  const created = tempProject(files);
  projects.push(created);
  linkSoak(created.dir);
  return created.dir;
}

const packageJson = (fields: Record<string, unknown>) => JSON.stringify({ name: '@acme/orders-api', version: '1.0.0', private: true, ...fields });

describe('soak init', () => {
  it('writes a scenario for the project that runs and passes on its healthy server, and prints the next command', async () => {
    const dir = project({ 'package.json': packageJson({ scripts: { start: 'node server.js' } }), 'server.js': healthyServer });
    const init = await runSoakIn(dir, ['init', '--duration', '8s']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('ready:   /healthz');
    expect(init.stdout).toMatch(/wrote {4}soak\.scenario\.ts\n\nnext: {4}npx soak run soak\.scenario\.ts\n$/);

    const scenario = await loadScenarioFile(join(dir, 'soak.scenario.ts'));
    expect(scenario.name).toBe('acme-orders-api');
    expect(scenario.targets[0]).toMatchObject({ options: { cmd: 'node server.js' }, ready: { path: '/healthz' } });
    expect(scenario.load[0]!.phases.map((phase) => phase.kind)).toEqual(['ramp', 'steady', 'spike']);
    expect(scenario.plannedMs).toBe(8000);
    expect(scenario.budgets).toMatchObject({ p99: 500, errorRate: 0.01 });

    const run = await runSoakIn(dir, ['run', 'soak.scenario.ts', '--out', 'run', '--no-progress']);
    expect(run.code).toBe(0);
    const summary = readSummary(join(dir, 'run'));
    expect(summary.verdict).toBe('pass');
    expect(summary.findings).toEqual([]);
    expect(summary.load.requests).toBeGreaterThan(0);
    expect(summary.load.errors).toBe(0);
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });

  it('lists the dependencies package.json implies, and the scenario with them validates', async () => {
    const dir = project({ 'package.json': packageJson({ main: 'server.js', dependencies: { pg: '^8.0.0', ioredis: '^5.0.0' } }), 'server.js': healthyServer });
    const { facts } = await initProject({ dir, readyTimeoutMs: 5000 });
    expect(facts.dependencies.map((dependency) => dependency.kind)).toEqual(['postgres', 'redis']);
    const scenario = await loadScenarioFile(join(dir, 'soak.scenario.ts'));
    expect(scenario.dependencies.map((dependency) => dependency.kind)).toEqual(['postgres', 'redis']);
    expect(scenario.targets[0]!.options).toEqual({ cmd: 'node server.js' });
  });

  it('writes the scenario without a readiness path when the service never listens, within the bound, leaving nothing running', async () => {
    const dir = project({ 'package.json': packageJson({ main: 'idle.js' }), 'idle.js': 'setInterval(() => {}, 1000);\n' });
    const { readiness } = await initProject({ dir, readyTimeoutMs: 1500 });
    expect(readiness).toEqual({ rootAnswers: false, problem: '"node idle.js" did not listen on PORT within 2 s' });
    const written = readFileSync(join(dir, 'soak.scenario.ts'), 'utf8');
    expect(written).toContain("// ready: { path: '/health' }, // not probed: \"node idle.js\" did not listen on PORT within 2 s");
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
    await expect(loadScenarioFile(join(dir, 'soak.scenario.ts'))).resolves.toMatchObject({ name: 'acme-orders-api' });
  });

  it('leaves an existing scenario alone unless --force, in one line', async () => {
    const dir = project({ 'package.json': packageJson({ main: 'server.js' }), 'server.js': healthyServer, 'soak.scenario.ts': '// mine\n' });
    const refused = await runSoakIn(dir, ['init']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('soak: soak.scenario.ts exists: soak init leaves it alone (--force to overwrite)\n');
    expect(readFileSync(join(dir, 'soak.scenario.ts'), 'utf8')).toBe('// mine\n');
    const forced = await runSoakIn(dir, ['init', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'soak.scenario.ts'), 'utf8')).toContain("from 'soak-harness'");
  });

  it('--ci github also writes the workflow shipped in docs/ci', async () => {
    const dir = project({ 'package.json': packageJson({ main: 'server.js' }), 'server.js': healthyServer });
    const init = await runSoakIn(dir, ['init', '--ci', 'github']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote    .github/workflows/soak.yml\n');
    expect(readFileSync(join(dir, '.github/workflows/soak.yml'), 'utf8')).toBe(readFileSync(join(repoRoot, 'docs/ci/github-actions.yml'), 'utf8'));
    const unknown = await runSoakIn(dir, ['init', '--force', '--ci', 'jenkins']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^soak: option '--ci <ci>' argument 'jenkins' is invalid\. Allowed choices are github\.\n$/);
  });

  it('says in one line when there is no package.json', async () => {
    const created = tempProject({});
    projects.push(created);
    const result = await runSoakIn(created.dir, ['init']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`soak: no package.json in ${created.dir}: run soak init in your service's project directory\n`);
    expect(existsSync(join(created.dir, 'soak.scenario.ts'))).toBe(false);
  });
});
