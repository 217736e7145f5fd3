import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from '../helpers/docker.js';
import { fixtureServer, readSummary, runSoak } from '../helpers/soak-cli.js';

const reason = await skipReason('swarm engine tests');
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

describe.skipIf(reason)('the swarm engine', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-swarm-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs a stream on a one-node swarm service of soak workers, then leaves nothing behind', async () => {
    const swarmBefore = docker('info', '--format', '{{.Swarm.LocalNodeState}}');
    const networksBefore = docker('network', 'ls', '--format', '{{.Name}}').split('\n').sort();
    const dir = join(root, 'run');
    const rate = 30;
    const result = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', String(rate), '--duration', '3s', '--engine', 'swarm', '--processes', '2', '--out', dir, '--no-progress'], {}, 180_000);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toContain('malformed');
    expect(result.code).toBe(0);

    const events = readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.filter((event) => event.type === 'peer-joined' && event.role === 'worker')).toHaveLength(2);
    const load = readFileSync(join(dir, 'load.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { scheduled: number; completed: number });
    expect(load.reduce((sum, interval) => sum + interval.scheduled, 0)).toBe(rate * 3);
    expect(load.reduce((sum, interval) => sum + interval.completed, 0)).toBe(rate * 3);
    expect(readSummary(dir).verdict).toBe('pass');

    expect(docker('info', '--format', '{{.Swarm.LocalNodeState}}')).toBe(swarmBefore);
    if (swarmBefore !== 'inactive') expect(docker('service', 'ls', '--filter', 'label=dev.soak.run', '--format', '{{.Name}}')).toBe('');
    expect(docker('network', 'ls', '--format', '{{.Name}}').split('\n').sort()).toEqual(networksBefore);
  });
});
