import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunFacts } from '../../src/analyze/index.js';
import { NdjsonAppender, readMeta, readRecords, RECORDS_VERSION, RunFiles, RunWriter, type RunMeta, type RunRecord } from '../../src/store/index.js';

const meta: RunMeta = {
  recordsVersion: RECORDS_VERSION,
  soakVersion: 'test',
  name: 'store-test',
  startedAt: 1_000_000,
  plannedMs: 10_000,
  sampleIntervalMs: 1000,
  scenario: {},
  host: { node: process.version, platform: 'linux', cpus: 2, hostname: 'h', totalMemory: 2 ** 33 },
};

describe('run files', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-store-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes lines to disk within the flush period, before close', async () => {
    const dir = newDir();
    const appender = new NdjsonAppender(join(dir, 'x.ndjson'), 100);
    appender.append({ a: 1 });
    expect(readFileSync(join(dir, 'x.ndjson'), 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(join(dir, 'x.ndjson'), 'utf8')).toBe('{"a":1}\n');
    appender.close();
  });

  it('reads back what was written, skipping a line cut short by a kill', async () => {
    const dir = newDir();
    const writer = new RunWriter(dir, meta);
    writer.event({ t: 1_000_000, type: 'run-start', name: 'store-test', plannedMs: 10_000 });
    writer.probeSample({ source: 'os', t: 1_001_000, service: 'target', pid: 1, rss: 10, cpuPercent: 1, children: 0, threads: 1 });
    writer.probeSample({ source: 'os', t: 1_002_000, service: 'target', pid: 1, rss: 20, cpuPercent: 1, children: 0, threads: 1 });
    writer.close();
    appendFileSync(join(dir, RunFiles.probe), '{"source":"os","t":1003000,"serv');

    const records: RunRecord[] = [];
    await readRecords(dir, (record) => records.push(record));
    const os = records.flatMap((record) => (record.kind === 'probe' && record.sample.source === 'os' && record.sample.service === 'target' ? [record.sample] : []));
    expect(os.map((sample) => sample.rss)).toEqual([10, 20]);
    expect(records.filter((record) => record.kind === 'event')).toHaveLength(1);
    // No run-end event: the run was killed, so it ends at the last record seen.
    expect((await readRunFacts(dir)).endT).toBe(1_002_000);
  });

  it('refuses a directory that is not a run', async () => {
    await expect(readRecords(newDir(), () => {})).rejects.toThrow(/is not a soak run directory/);
  });
});

describe('meta.json read back', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const withMeta = (content: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-meta-'));
    dirs.push(dir);
    writeFileSync(join(dir, RunFiles.meta), JSON.stringify(content));
    return dir;
  };

  it('refuses a run written with another layout of the records in one line', () => {
    const { recordsVersion: _dropped, ...older } = meta;
    expect(() => readMeta(withMeta(older))).toThrow(/^.* was written by soak test with records of version 1; this soak reads version 3 or 2 \(run it again, or report it with the soak that wrote it\)$/);
  });

  it('reads a run of the previous layout, whose histograms were deflated', () => {
    expect(readMeta(withMeta({ ...meta, recordsVersion: 2 })).recordsVersion).toBe(2);
    expect(() => readMeta(withMeta({ ...meta, recordsVersion: 4 }))).toThrow(/records of version 4; this soak reads version 3 or 2 /);
  });

  it('names the field of a meta.json that does not hold', () => {
    expect(() => readMeta(withMeta({ ...meta, host: { ...meta.host, totalMemory: 'lots' } }))).toThrow(/meta\.json: host\.totalMemory: /);
    expect(() => readMeta(withMeta({ ...meta, scenario: { budgets: { p99: 'fast' } } }))).toThrow(/meta\.json: scenario\.budgets\.p99: /);
  });
});
