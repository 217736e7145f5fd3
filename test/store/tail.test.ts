import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords, RecordTail, RunFiles, type RunRecord } from '../../src/store/index.js';
import { appendRunFiles } from '../helpers/run-files.js';
import { syntheticRun, startT } from '../report/synthetic-run.js';
import { osSample, testMeta } from '../analyze/run-builder.js';

const timeOf = (record: RunRecord) => (record.kind === 'probe' ? record.sample.t : record.kind === 'load' ? record.interval.t : record.event.t);
const line = (record: object) => `${JSON.stringify(record)}\n`;

describe('reading a run directory as it is written', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-tail-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('hands over a line only once its newline is written', () => {
    const dir = newDir();
    writeFileSync(join(dir, RunFiles.meta), JSON.stringify(testMeta()));
    const tail = new RecordTail(dir, () => Number.MAX_SAFE_INTEGER);
    const seen: number[] = [];
    const visit = (record: RunRecord) => seen.push(timeOf(record));
    const sample = line(osSample(1000));
    appendFileSync(join(dir, RunFiles.probe), sample.slice(0, 20));
    tail.read(visit);
    expect(seen).toEqual([]);
    appendFileSync(join(dir, RunFiles.probe), `${sample.slice(20)}${line(osSample(2000)).slice(0, 10)}`);
    tail.read(visit);
    expect(seen).toEqual([1000]);
    expect(tail.skipped()).toEqual([]);
  });

  it('holds back a sample that an interval still on its way to disk could precede', () => {
    const dir = newDir();
    writeFileSync(join(dir, RunFiles.meta), JSON.stringify(testMeta()));
    let now = 3000;
    const tail = new RecordTail(dir, () => now);
    const seen: number[] = [];
    const visit = (record: RunRecord) => seen.push(timeOf(record));
    appendFileSync(join(dir, RunFiles.probe), [1000, 2000, 3000].map((t) => line(osSample(t))).join(''));
    tail.read(visit);
    // The load file is a second behind: nothing on disk yet says whether an interval comes first.
    expect(seen).toEqual([]);
    appendFileSync(join(dir, RunFiles.load), line({ ...interval(1500) }));
    now = 4000;
    tail.read(visit);
    expect(seen).toEqual([1000, 1500]);
    now = 6000;
    tail.read(visit);
    expect(seen).toEqual([1000, 1500, 2000, 3000]);
  });

  it('gives the records in the order the finished files give them, however the writes were cut', async () => {
    const dir = newDir();
    const { run } = syntheticRun({ seconds: 240, distinctHistograms: 4 });
    const seen: RunRecord[] = [];
    let now = startT;
    const tail = new RecordTail(dir, () => now);
    let from = -Infinity;
    for (let to = startT; to < run.endT + 5000; to += 3700) {
      appendRunFiles(dir, run, from, to, 1000);
      from = to;
      now = to;
      tail.read((record) => seen.push(record));
    }
    appendRunFiles(dir, run, from, Infinity, 1000);
    tail.read((record) => seen.push(record), true);
    const whole: RunRecord[] = [];
    await readRecords(dir, (record) => whole.push(record));
    expect(seen.length).toBe(run.node.length + run.os.length + run.load.length + run.events.length);
    expect(seen.map(timeOf)).toEqual(whole.map(timeOf));
    expect(seen.map((record) => record.kind)).toEqual(whole.map((record) => record.kind));
  });

  it('keeps only what it holds back, however long the run goes on', () => {
    const dir = newDir();
    writeFileSync(join(dir, RunFiles.meta), JSON.stringify(testMeta()));
    let now = 0;
    const tail = new RecordTail(dir, () => now);
    let handed = 0;
    for (let second = 1; second <= 3000; second += 1) {
      appendFileSync(join(dir, RunFiles.probe), line(osSample(second * 1000)));
      now = second * 1000;
      handed += tail.read(() => {});
    }
    // The last 2.5 s wait for the other late file; nothing else is kept.
    expect(handed).toBe(2997);
    const queued = (tail as unknown as { sources: { queue: unknown[]; head: number }[] }).sources.reduce((sum, source) => sum + source.queue.length, 0);
    expect(queued).toBeLessThan(10);
  });

  it('tells when a file was replaced by a shorter one (another run in the directory)', () => {
    const dir = newDir();
    writeFileSync(join(dir, RunFiles.meta), JSON.stringify(testMeta()));
    appendFileSync(join(dir, RunFiles.probe), [1000, 2000].map((t) => line(osSample(t))).join(''));
    const tail = new RecordTail(dir, () => 10_000);
    tail.read(() => {});
    expect(tail.replaced()).toBe(false);
    writeFileSync(join(dir, RunFiles.probe), line(osSample(1000)));
    expect(tail.replaced()).toBe(true);
  });
});

function interval(t: number) {
  return { t, span: 1000, stream: 's', driver: 'http', phase: 'p', scheduled: 1, sent: 1, completed: 1, errors: 0, timeouts: 0, outcomes: { '2xx': 1 }, latency: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 }, hdr: '', inflight: 0 };
}
