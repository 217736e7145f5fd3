import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { soakStartedPids } from '../helpers/processes.js';
import { fixtureServer, runSoak } from '../helpers/soak-cli.js';

describe("soak run's dashboard flags", () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-dashboard-flags-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a taken port in one line, before starting anything, and leaves no directory', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const out = join(root, 'taken');
    try {
      const result = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '10', '--duration', '5s', '--out', out, '--dashboard', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`soak: --dashboard: port ${port} on 127.0.0.1 is in use; give another port, or 0 for a free one`);
      expect(existsSync(out)).toBe(false);
      expect(soakStartedPids()).toEqual([]);
    } finally {
      taken.close();
    }
  });

  it('refuses what is not a port', async () => {
    const result = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--out', join(root, 'bad'), '--dashboard', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('soak: --dashboard: expected a port number (0 for a free one), got "eighty"');
  });
});
