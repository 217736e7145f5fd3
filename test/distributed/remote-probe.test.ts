import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { preloadPath } from '../../src/probe/index.js';
import { repoRoot, readSummary, runSoak } from '../helpers/soak-cli.js';

const root = mkdtempSync(join(tmpdir(), 'soak-remote-probe-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A free port on `host`, found by listening on it once. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Node process started apart from soak, with soak's probe preloaded and pointed at the coordinator. */
function probed(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, NODE_OPTIONS: `--require "${preloadPath}"`, SOAK_PROBE_INTERVAL_MS: '500', ...env },
    stdio: 'ignore',
  });
  started.push(child);
  return child;
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a remote probe', () => {
  it('connects out to the coordinator on 127.0.0.2 with the token; its samples are analysed as a target\'s, a wrong token is refused and logged', async () => {
    const coordinatorPort = await freePort('127.0.0.2');
    const targetPort = await freePort('127.0.0.1');
    const coordinator = `127.0.0.2:${coordinatorPort}`;
    const target = probed(join(repoRoot, 'test/fixtures/servers/clean.cjs'), { PORT: String(targetPort), SOAK_PROBE: coordinator, SOAK_PROBE_TOKEN: 'right-token', SOAK_SERVICE: 'api' });
    probed(join(repoRoot, 'test/fixtures/servers/clean.cjs'), { PORT: String(await freePort('127.0.0.1')), SOAK_PROBE: coordinator, SOAK_PROBE_TOKEN: 'wrong-token', SOAK_SERVICE: 'intruder' });
    const scenario = join(root, 'remote-probe.mjs');
    writeFileSync(
      scenario,
      `export default { name: 'remote-probe', targets: [{ name: 'api', runtime: 'external', url: 'http://127.0.0.1:${targetPort}' }], load: { path: '/', phases: [{ duration: '7s', rate: 20 }] } };\n`,
    );
    const dir = join(root, 'run');
    const result = await runSoak(['run', scenario, '--listen', coordinator, '--out', dir, '--no-progress'], { SOAK_TOKEN: 'right-token' });
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toContain('malformed');

    const samples = lines(join(dir, 'probe.ndjson')).filter((sample) => sample.source === 'node');
    expect(samples.length).toBeGreaterThan(3);
    expect(new Set(samples.map((sample) => sample.service))).toEqual(new Set(['api']));
    expect(new Set(samples.map((sample) => sample.pid))).toEqual(new Set([target.pid]));

    const events = lines(join(dir, 'events.ndjson'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'peer-joined', role: 'probe', name: 'api' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'peer-refused', reason: 'wrong token from probe "intruder"' }));
    expect(events.some((event) => event.type === 'peer-joined' && event.name === 'intruder')).toBe(false);
    // The token is written nowhere in the run directory.
    for (const file of ['meta.json', 'events.ndjson', 'summary.json']) expect(readFileSync(join(dir, file), 'utf8')).not.toContain('right-token');

    const summary = readSummary(dir) as unknown as { target: Record<string, { peakHeapUsed: number | null; peakRss: number | null }> };
    expect(summary.target.api?.peakHeapUsed).toBeGreaterThan(0);
    expect(summary.target.api?.peakRss).toBeGreaterThan(0);
  });
});
