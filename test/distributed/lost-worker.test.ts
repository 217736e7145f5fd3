import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureServer, readSummary, startSoak } from '../helpers/soak-cli.js';
import { isAlive, waitFor } from '../helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'soak-lost-worker-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const events = (dir: string) => {
  try {
    return readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  } catch {
    return [];
  }
};

describe('a soak worker lost mid-run', () => {
  it('is logged as lost with the planned load it did not send, and the run cannot pass', async () => {
    const dir = join(root, 'run');
    const rate = 40;
    const { child, result } = startSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', String(rate), '--duration', '8s', '--processes', '2', '--out', dir, '--no-progress']);
    // Kill one worker (-9: no goodbye) once the load has run a while.
    expect(await waitFor(() => events(dir).some((event) => event.type === 'phase-start'), 60_000, 100)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const worker = events(dir).find((event) => event.type === 'peer-joined' && event.role === 'worker')!;
    const pid = Number(String(worker.name).split('/')[1]);
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    const { code, stderr } = await result;
    expect(stderr).not.toContain('malformed');
    expect(child.exitCode ?? code).toBe(1);

    const lost = events(dir).filter((event) => event.type === 'worker-lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ stream: 'http', name: worker.name, undeliveredConnectionSeconds: 0 });
    const undelivered = lost[0]!.undeliveredRequests as number;
    expect(undelivered).toBeGreaterThan(0);
    // What was sent and what the lost share was still to send make up the plan, but for the lost
    // worker's last, unreported interval (at most one interval of its half of the rate).
    const load = readFileSync(join(dir, 'load.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { sent: number });
    const sent = load.reduce((sum, interval) => sum + interval.sent, 0);
    expect(Math.abs(sent + undelivered - rate * 8)).toBeLessThanOrEqual(rate / 2 + 2);

    const summary = readSummary(dir);
    expect(summary.verdict).toBe('fail');
    const finding = summary.findings.find((each) => each.kind === 'load-not-delivered');
    expect(finding?.severity).toBe('fail');
    expect(finding?.evidence.undeliveredRequests).toBe(undelivered);
  });
});
