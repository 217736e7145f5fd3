import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords, type LoadInterval, type RunEvent } from '../../src/store/index.js';
import { fixtureServer, readSummary, runSoak } from '../helpers/soak-cli.js';

/** A run's load intervals and events as the reader hands them over, and its lines of news about skipped records. */
async function readRun(dir: string): Promise<{ load: LoadInterval[]; events: RunEvent[]; skippedRecords?: string[] }> {
  const load: LoadInterval[] = [];
  const events: RunEvent[] = [];
  const skipped = await readRecords(dir, (record) => {
    if (record.kind === 'load') load.push(record.interval);
    else if (record.kind === 'event') events.push(record.event);
  });
  return { load, events, ...(skipped.length > 0 ? { skippedRecords: skipped } : {}) };
}

/** Inserts lines into a run file after its first line. */
function insertAfterFirst(file: string, inserted: string[]): void {
  const [first, ...rest] = readFileSync(file, 'utf8').split('\n');
  writeFileSync(file, [first, ...inserted, ...rest].join('\n'));
}

describe('records of the wrong shape', () => {
  const root = mkdtempSync(join(tmpdir(), 'soak-malformed-'));
  const good = join(root, 'good');
  const bad = join(root, 'bad');
  beforeAll(async () => {
    const result = await runSoak(['run', '--cmd', fixtureServer('clean.cjs'), '--rate', '20', '--duration', '4s', '--out', good, '--no-progress']);
    expect(result.code, result.stderr).toBe(0);
    cpSync(good, bad, { recursive: true });
    // JSON of the wrong shape, a binary line and a record missing its histogram, between good records...
    insertAfterFirst(join(bad, 'load.ndjson'), ['{"t":"x"}', '\u0000\u0001\u00ff binary', '{"t":1,"span":1000,"stream":"http","driver":"http","phase":"p","scheduled":1,"sent":1,"completed":1,"errors":0,"timeouts":0,"outcomes":{},"inflight":0}']);
    insertAfterFirst(join(bad, 'probe.ndjson'), ['{"source":"node","t":5,"service":"target","pid":1}', '[1,2,3]']);
    insertAfterFirst(join(bad, 'events.ndjson'), ['{"t":1,"type":"service-exit","service":"target"}']);
    // ...and a last line cut short by a kill, which is no news.
    appendFileSync(join(bad, 'load.ndjson'), '{"t":17963');
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('skips and counts them per file, naming the first line, and reads every good record', async () => {
    const [run, clean] = await Promise.all([readRun(bad), readRun(good)]);
    expect(run.skippedRecords).toEqual([
      '2 malformed records skipped in probe.ndjson (first at line 2)',
      '3 malformed records skipped in load.ndjson (first at line 2)',
      '1 malformed record skipped in events.ndjson (first at line 2)',
    ]);
    expect(run.load).toEqual(clean.load);
    expect(run.events).toEqual(clean.events);
    expect(clean.skippedRecords).toBeUndefined();
  });

  it('soak report and soak compare say so in one line per file and do not crash', async () => {
    const report = await runSoak(['report', bad]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain('soak: 3 malformed records skipped in load.ndjson (first at line 2)\n');
    expect(readSummary(bad).verdict).toBe('pass');

    const compare = await runSoak(['compare', good, bad, '--out', join(root, 'compare.html')]);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stderr).toContain(`soak: ${bad}: 2 malformed records skipped in probe.ndjson (first at line 2)\n`);
  });
});
