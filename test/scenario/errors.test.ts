import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SoakError } from '../../src/core/errors.js';
import { loadGateFile } from '../../src/gate/budgets-file.js';
import { loadScenarioFile, resolveScenario } from '../../src/wiring/index.js';
import { rejectionOf } from '../helpers/scenario.js';
import { repoRoot, runSoak } from '../helpers/soak-cli.js';

const root = mkdtempSync(join(tmpdir(), 'soak-scenario-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SoakError);
  return (error as SoakError).message;
}

const valid = { name: 'errors', target: { cmd: 'node server.js' }, load: { path: '/', phases: [{ duration: '1m', rate: 5 }] } };

describe('errors that say what and where', () => {
  it('shows a syntax error with its message and file:line:column', async () => {
    const scenario = file('syntax.ts', "export default {\n  name: 'x',\n  target: { cmd: 'node x' ),\n};\n");
    expect(await rejection(loadScenarioFile(scenario))).toBe(`${scenario}:3:26: syntax error: Expected "}" but found ")"`);
    const relativePath = relative(repoRoot, scenario);
    const cli = await runSoak(['run', relativePath]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`soak: ${relativePath}:3:26: syntax error: Expected "}" but found ")"\n`);
  });

  it('asks for a default export when a file exports nothing, or only other names', async () => {
    const nothing = file('nothing.ts', 'const scenario = 1;\n');
    expect(await rejection(loadScenarioFile(nothing))).toBe(`${nothing}: export the scenario as the default export (export default defineScenario({...}))`);
    const other = file('other.ts', 'export const options = { name: "x" };\n');
    expect(await rejection(loadScenarioFile(other))).toMatch(/: export the scenario as the default export/);
    const named = file('named.ts', `export const scenario = ${JSON.stringify(valid)};\n`);
    expect((await loadScenarioFile(named)).name).toBe('errors');
  });

  it('names a budgets file and the field it got wrong, not "(scenario)"', async () => {
    const budgets = file('budgets.json', '{ "p98": "1s" }');
    expect(await rejection(loadGateFile(budgets))).toBe(`${budgets}: p98: unknown field`);
    const wrong = file('wrong.json', '{ "p99": 5 }');
    expect(await rejection(loadGateFile(wrong))).toMatch(new RegExp(`^${wrong}: p99: expected a duration`));
  });

  it('names the ad-hoc flag, not the scenario field it fills', async () => {
    const rate = await runSoak(['run', '--cmd', 'node server.js', '--rate', '-3']);
    expect(rate.stderr).toBe('soak: --rate: expected a positive number\n');
    const warmup = await runSoak(['run', '--cmd', 'node server.js', '--warmup', 'soon']);
    expect(warmup.stderr).toBe('soak: --warmup: expected a duration like "90s", "10m" or "8h", got "soon"\n');
  });

  it('names `target` as written, not `targets[0]`', () => {
    expect(resolveScenario(valid).targets[0]!.path).toBe('target');
    expect(resolveScenario({ ...valid, target: undefined, targets: [{ name: 'api', cmd: 'x' }, { name: 'worker', cmd: 'y' }] }).targets[1]!.path).toBe('targets[1]');
  });

  it('checks a fault\'s target and time when the scenario is loaded', () => {
    const message = (faults: unknown[]) => rejectionOf({ ...valid, dependencies: [{ kind: 'postgres' }], faults });
    expect(message([{ kind: 'pause', target: 'pg', at: '10s', duration: '5s' }])).toBe('faults[0].target: "pg": no service of that name (known: target, postgres)');
    expect(message([{ kind: 'latency', target: 'target', at: '10s', latency: '5ms' }])).toBe('faults[0].target: "target": network faults act on a dependency (known: postgres)');
    expect(message([{ kind: 'kill', target: 'postgres', at: '2m' }])).toBe('faults[0].at: 2m00s is past the end of the run (1m00s): the fault would never begin');
    expect(resolveScenario({ ...valid, dependencies: [{ kind: 'postgres' }], faults: [{ kind: 'pause', target: 'postgres', at: '10s', duration: '5s' }] }).faults).toHaveLength(1);
  });
});
