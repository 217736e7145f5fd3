import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { childrenOf, isAlive, soakStartedPids, waitFor } from '../helpers/processes.js';
import { fixtureServer, runSoak, startSoak } from '../helpers/soak-cli.js';

/** The data directories of the PostgreSQL servers a soak process started (soak-pg-<pid>.<start>-XXXXXX). */
const dataDirsOf = (soakPid: number) => readdirSync(tmpdir()).filter((name) => name.startsWith(`soak-pg-${soakPid}.`));

const pids = () => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
const read = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return '';
  }
};

/**
 * The PostgreSQL server of a soak process and its backends, alive. PostgreSQL writes its process
 * titles over its environment, so they are found by the postmaster's command line (its data dir).
 */
function serverOf(soakPid: number): number[] {
  const postmasters = pids().filter((pid) => read(pid, 'cmdline').includes(`soak-pg-${soakPid}.`) && isAlive(pid));
  return [...postmasters, ...postmasters.flatMap((pid) => childrenOf(pid))];
}

/** A real PostgreSQL under a real soak run, killed with it: neither the server nor its ~40 MB data directory may stay. */
describe('PostgreSQL data directories whatever kills soak', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-pg-leftovers-'));
  const scenario = join(root, 'with-postgres.ts');
  writeFileSync(
    scenario,
    `export default { name: 'with-postgres', target: { cmd: ${JSON.stringify(fixtureServer('clean.cjs'))} }, dependencies: [{ kind: 'postgres' }], load: { path: '/', phases: [{ duration: '60s', rate: 10 }] } };\n`,
  );
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    expect(await waitFor(() => soakStartedPids().length === 0, 10_000)).toBe(true);
  });

  async function startWithPostgres(out: string) {
    const soak = startSoak(['run', scenario, '--out', join(root, out), '--no-progress']);
    const loadStarted = () => existsSync(join(root, out, 'events.ndjson')) && readFileSync(join(root, out, 'events.ndjson'), 'utf8').includes('phase-start');
    expect(await waitFor(() => loadStarted() && dataDirsOf(soak.child.pid!).length === 1, 30_000)).toBe(true);
    expect(serverOf(soak.child.pid!).length).toBeGreaterThan(1);
    return soak;
  }

  it('removes the data directory when soak is killed with SIGKILL', async () => {
    const { child, result } = await startWithPostgres('sigkill');
    child.kill('SIGKILL');
    await result;
    expect(await waitFor(() => serverOf(child.pid!).length === 0 && dataDirsOf(child.pid!).length === 0, 10_000)).toBe(true);
  });

  it('the next run ends the server and removes the data directory when soak and its guards were killed together', async () => {
    const { child, result } = await startWithPostgres('all-killed');
    const guards = childrenOf(child.pid!, 'guard.js');
    expect(guards.length).toBe(2);
    for (const pid of [child.pid!, ...guards]) process.kill(pid, 'SIGKILL');
    await result;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const server = serverOf(child.pid!);
    expect(server.length).toBeGreaterThan(1);
    expect(dataDirsOf(child.pid!)).toHaveLength(1);

    const next = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '10', '--duration', '2s', '--out', join(root, 'next'), '--no-progress']);
    expect(next.code, next.stderr).toBe(0);
    expect(server.filter(isAlive)).toEqual([]);
    expect(dataDirsOf(child.pid!)).toEqual([]);
  });
});
