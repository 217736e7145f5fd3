import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, hasReport, readSummary, repoRoot, runSoak, startSoak } from '../helpers/soak-cli.js';

describe('soak CLI contract', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-cli-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });

  it('exits 2 naming the field of a malformed scenario, without a stack trace', async () => {
    const result = await runSoak(['run', join(repoRoot, 'test/fixtures/scenarios/bad-rate.ts')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^soak: .*bad-rate\.ts: load\.phases\[2\]\.rate: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on bad usage', async () => {
    const unknown = await runSoak(['run', '--cmd', 'true', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
    const both = await runSoak(['run', 'x.ts', '--cmd', 'true']);
    expect(both.code).toBe(2);
    const duration = await runSoak(['run', '--cmd', 'true', '--duration', 'forever']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toMatch(/^soak: --duration: expected a duration/);
  });

  it('refuses a target address that is not loopback', async () => {
    const result = await runSoak(['run', join(repoRoot, 'test/fixtures/scenarios/remote.ts'), '--out', join(root, 'remote')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to send load to 192\.0\.2\.10/);
  });

  it('fails clearly when the target exits before it listens', async () => {
    const out = join(root, 'early-exit');
    const result = await runSoak(['run', '--cmd', 'node -e "console.error(\'missing config\'); process.exit(4)"', '--out', out, '--duration', '5s']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/target "target" exited \(code 4\) before accepting connections: missing config/);
  });

  it('fails clearly when the target never listens', async () => {
    const silent = `node -e "setInterval(() => {}, 1000)"`;
    const result = await runSoak(['run', '--cmd', silent, '--out', join(root, 'never'), '--duration', '5s', '--ready-timeout', '2s']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^soak: .*(not ready|did not|never).*2 ?s/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(soakStartedPids()).toEqual([]);
  }, 60_000);

  it('rebuilds the report of a run killed with SIGKILL from its raw samples, leaving no target behind', async () => {
    const out = join(root, 'killed');
    const { child, result } = startSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '50', '--duration', '60s', '--out', out, '--no-progress']);
    expect(await waitFor(() => existsSync(join(out, 'load.ndjson')) && soakStartedPids().length > 0, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    child.kill('SIGKILL');
    await result;
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
    expect(hasReport(out)).toBe(false);

    // Killed 5 s into 60 s: reported, but incomplete (exit 3), never a pass.
    const rebuilt = await runSoak(['report', out]);
    expect(rebuilt.code).toBe(3);
    const summary = readSummary(out);
    expect(summary.load.requests).toBeGreaterThan(100);
    expect(hasReport(out)).toBe(true);
  });

  it('on Ctrl-C stops the load and the target and writes the report of what was gathered', async () => {
    const out = join(root, 'interrupted');
    const { child, result } = startSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '50', '--duration', '60s', '--out', out, '--no-progress']);
    expect(await waitFor(() => existsSync(join(out, 'load.ndjson')), 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    child.kill('SIGINT');
    const finished = await result;
    // Reported, but the run did not carry out its plan: soak exits as Ctrl-C would have ended it.
    expect(finished.code).toBe(130);
    expect(hasReport(out)).toBe(true);
    const summary = readSummary(out);
    expect(summary.run.endReason).toBe('interrupted');
    expect(summary.load.requests).toBeGreaterThan(50);
  });

  it('says which port is taken when a scenario asks for a busy one', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const { port } = blocker.address() as { port: number };
    const scenario = join(root, 'busy-port.ts');
    (await import('node:fs')).writeFileSync(
      scenario,
      `export default { name: 'busy', target: { cmd: 'node x.js', port: ${port} }, load: { path: '/', phases: [{ duration: '5s', rate: 1 }] } };\n`,
    );
    const result = await runSoak(['run', scenario, '--out', join(root, 'busy')]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`target.port: port ${port} is already in use`);
  });
});
