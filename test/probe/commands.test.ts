import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeHarness, samplesUntil } from './probed.js';

describe('probe commands', () => {
  let harness: ProbeHarness;
  const dir = mkdtempSync(join(tmpdir(), 'soak-probe-commands-'));

  beforeAll(async () => {
    harness = await ProbeHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a heap snapshot of the probed process when asked, and keeps that stall out of its loop-delay figures', async () => {
    const target = harness.spawn('heap-held.cjs', { intervalMs: 200 });
    const before = (await samplesUntil(target, (got) => got.length >= 2)).length;
    const path = join(dir, 'held.heapsnapshot');
    const reply = await harness.collector.request(target.pid, { cmd: 'heap-snapshot', path }, 60_000);
    expect(reply).toMatchObject({ ok: true });
    expect(reply.ms).toBeGreaterThan(0);
    expect(readFileSync(path, 'latin1').slice(0, 20)).toBe('{"snapshot":{"meta":');
    // The samples that cover the snapshot report the loop as the target ran it, not as soak froze it.
    const covering = (await samplesUntil(target, (got) => got.length >= before + 3)).slice(before);
    for (const sample of covering) expect(sample.eventLoop.max, `stood still ${reply.ms} ms`).toBeLessThan((reply.ms as number) / 2);
  });

  it('runs a full GC when asked: the next sample reads the heap after it, with the garbage gone', async () => {
    const target = harness.spawn('garbage-held.cjs', { intervalMs: 200 });
    // A second past its start the arrays are garbage, still counted in heapUsed.
    const [settled] = (await samplesUntil(target, (got) => got.length >= 5 && got[got.length - 1]!.memory.heapUsed > 40 * 1024 ** 2)).slice(-1);
    const before = target.samples.length;
    const reply = await harness.collector.request(target.pid, { cmd: 'full-gc' }, 60_000);
    expect(reply).toMatchObject({ ok: true });
    const after = (await samplesUntil(target, (got) => got.slice(before).some((sample) => sample.postGcHeap !== undefined))).slice(before);
    const reading = after.find((sample) => sample.postGcHeap !== undefined)!;
    expect(reading.gc.major?.count).toBeGreaterThanOrEqual(1);
    // ~50 MB of arrays dropped but never collected: a full collection frees most of it.
    expect(reading.postGcHeap!).toBeLessThan(settled!.memory.heapUsed - 30 * 1024 ** 2);
  });

  it('answers a command it does not know with an error, and a pid with no probe is refused', async () => {
    const target = harness.spawn('idle.cjs', { intervalMs: 200 });
    await samplesUntil(target, (got) => got.length >= 1);
    expect(await harness.collector.request(target.pid, { cmd: 'dance' }, 10_000)).toMatchObject({ ok: false, error: 'unknown command "dance"' });
    const bad = await harness.collector.request(target.pid, { cmd: 'heap-snapshot', path: join(dir, 'x.json') }, 10_000);
    expect(bad).toMatchObject({ ok: false, error: 'heap-snapshot needs a path ending in .heapsnapshot' });
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
    await expect(harness.collector.request(1, { cmd: 'heap-snapshot', path: join(dir, 'y.heapsnapshot') }, 10_000)).rejects.toThrow('no probe connected for pid 1');
  });

  it('fails a request whose process goes away before answering', async () => {
    const target = harness.spawn('heap-held.cjs', { intervalMs: 200 });
    await samplesUntil(target, (got) => got.length >= 1);
    const pending = harness.collector.request(target.pid, { cmd: 'heap-snapshot', path: join(dir, 'killed.heapsnapshot') }, 60_000);
    process.kill(-target.pid, 'SIGKILL');
    await expect(pending).rejects.toThrow('the probed process closed its connection before answering');
  });
});
