import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { fixtureServer, readSummary, runSoak, startSoak } from '../helpers/soak-cli.js';

const root = mkdtempSync(join(tmpdir(), 'soak-live-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface FaultWindow {
  fault: string;
  kind: string;
  target: string;
  start: number;
  end: number | null;
}

describe('soak fault: faults injected into a live run', () => {
  it('pauses the target on demand: the run logs the window, its requests wait it out, and bad requests get one line', async () => {
    const out = join(root, 'paused');
    const run = startSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '20', '--duration', '15s', '--no-progress', '--out', out]);
    expect(await waitFor(() => existsSync(join(out, 'control')), 20_000)).toBe(true);

    const paused = await runSoak(['fault', out, 'pause', 'target=target', 'duration=2s', '--name', 'by-hand']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/^fault by-hand \(pause\) began on target at \+\d+\.\d s; ends after 2\.0 s\n$/);

    // Asked while the pause goes on; what the run rejects is numbered in the order it came.
    const mistyped = await runSoak(['fault', out, 'pause', 'target=target', 'duration=fast']);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toMatch(/^soak: fault\.duration: expected a duration like "90s", "10m" or "8h", got "fast"\n$/);
    const unknownService = await runSoak(['fault', out, 'pause', 'target=nobody', 'duration=1s']);
    expect(unknownService.code).toBe(2);
    expect(unknownService.stderr).toBe('soak: faults "pause-live-1": target: no service named "nobody" (known: target)\n');
    const noProxy = await runSoak(['fault', out, 'latency', 'target=target', 'latency=100ms']);
    expect(noProxy.code).toBe(2);
    expect(noProxy.stderr).toMatch(/^soak: faults "latency-live-2": target: "target" has no fault proxy; network faults act on a dependency\n$/);

    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    const summary = readSummary(out) as unknown as { faults: FaultWindow[]; load: { latency: { max: number } } };
    expect(summary.faults).toHaveLength(1);
    const [window] = summary.faults;
    expect(window).toMatchObject({ fault: 'by-hand', kind: 'pause', target: 'target' });
    expect(window!.end! - window!.start).toBeGreaterThanOrEqual(1900);
    // A request sent as the pause began waited for the resume.
    expect(summary.load.latency.max).toBeGreaterThan(1500);

    const late = await runSoak(['fault', out, 'pause', 'target=target', 'duration=1s']);
    expect(late.code).toBe(2);
    expect(late.stderr).toBe(`soak: ${out}: the run is not live (it has ended, or it was written by a soak without live faults)\n`);
    expect(readFileSync(join(out, 'events.ndjson'), 'utf8').match(/"type":"fault-start"/g)).toHaveLength(1);
  });
});
