import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCgroup, removeCgroup, usableController } from '../../src/runtime/cgroup-v1.js';
import { waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, repoRoot, soakBin } from '../helpers/soak-cli.js';

const cpuMount = usableController('cpu');

/**
 * A healthy target and soak itself held off the CPU together: both run in one cgroup whose quota lets
 * them run 100 ms in each second for most of the load, as a machine with far more runnable work than
 * cores does. The target's loop stalls ~850 ms while busy (held mid-request), and so do soak's threads.
 * No CPU burner: the starvation is the same, and the machine's other users keep their cores.
 */
describe.skipIf(cpuMount === undefined)('a machine short of CPU is not blamed on the target', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-host-'));
  const group = join(cpuMount ?? '/', `soak-test-host-${process.pid}`);
  afterAll(async () => {
    await removeCgroup(group);
    rmSync(root, { recursive: true, force: true });
  });

  it('reports host-contention (warn), not event-loop-blocked, when soak stalled with a healthy target', async () => {
    createCgroup(group, { 'cpu.cfs_period_us': '1000000' });
    const out = join(root, 'run');
    const soak = [soakBin, 'run', '--cmd', fixtureServer('working.cjs'), '--rate', '80', '--duration', '20s', '--out', out, '--no-progress'];
    // The shell joins the cgroup before it becomes soak, so the target soak starts is in it too.
    const child = spawn('sh', ['-c', `echo $$ > ${join(group, 'cgroup.procs')} && exec "$0" "$@"`, process.execPath, ...soak], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => child.on('close', resolve));
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    expect(await waitFor(() => output.includes('running "'), 60_000), output).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    writeFileSync(join(group, 'cpu.cfs_quota_us'), '100000');
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    // Lifted before the load ends, so that soak's analysis runs at full speed.
    writeFileSync(join(group, 'cpu.cfs_quota_us'), '-1');
    await exited;
    const { findings } = readSummary(out);
    const kinds = findings.map((finding) => finding.kind);
    expect(kinds, JSON.stringify(findings.map((finding) => finding.title))).not.toContain('event-loop-blocked');
    const host = findings.find((finding) => finding.kind === 'host-contention');
    expect(host?.severity).toBe('warn');
    expect(host?.evidence.stalls).toBeGreaterThanOrEqual(3);
  });
});
