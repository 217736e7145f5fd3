import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORDS_VERSION, RunFiles } from '../../src/store/records.js';
import { loadInterval, testMeta } from '../analyze/run-builder.js';
import { runSoak } from '../helpers/soak-cli.js';

/** Run directories written by hand: what `soak report` says of records it cannot analyse, or of another soak's. */
describe('soak report on records it cannot use', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const runDir = (meta: unknown, load: unknown[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-report-errors-'));
    dirs.push(dir);
    writeFileSync(join(dir, RunFiles.meta), JSON.stringify(meta));
    writeFileSync(join(dir, RunFiles.load), load.map((record) => `${JSON.stringify(record)}\n`).join(''));
    return dir;
  };

  it('says in one line why the analysis failed, with the stack only under --debug, and keeps the records', async () => {
    const meta = testMeta();
    const dir = runDir(meta, [loadInterval(meta.startedAt + 1000, { hdr: 'bm90IGEgaGlzdG9ncmFt' })]);
    const plain = await runSoak(['report', dir]);
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/^soak: .*HdrHistogram/);
    const debug = await runSoak(['report', dir, '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, RunFiles.load), 'utf8')).toContain('bm90IGEgaGlzdG9ncmFt');
  });

  it('refuses a run directory written with another layout of the records in one line, exit 2', async () => {
    const { recordsVersion: _older, ...meta } = testMeta();
    const result = await runSoak(['report', runDir({ ...meta, soakVersion: '0.0.9' }, [])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^soak: .* was written by soak 0\\.0\\.9 with records of version 1; this soak reads version ${RECORDS_VERSION} .*\\n$`));
  });
});
