import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readTruth, type TruthSample } from '../../bench/corpus/truth.js';
import { waitFor } from '../helpers/processes.js';
import { getJson, startTarget, stopAllTargets, type RunningTarget } from '../helpers/targets.js';

const corpusTarget = fileURLToPath(new URL('../../bench/corpus/target/server.js', import.meta.url));
const MB = 1024 * 1024;
const HOUR_S = 3600;
const scratch = mkdtempSync(join(tmpdir(), 'soak-corpus-'));

interface Look {
  now: TruthSample;
  start: { heapLimit: number; memoryLimit: number };
}

const start = (name: string, env: Record<string, string>, nodeArgs: string[] = []) =>
  startTarget(`corpus-${name}`, { path: corpusTarget, env: { TRUTH_FILE: join(scratch, `${name}.ndjson`), TRUTH_INTERVAL_MS: '200', ...env }, nodeArgs });
const look = async (target: RunningTarget, gc = false) => (await getJson<Look>(`${target.url}/__truth${gc ? '?gc=1' : ''}`)).body;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pacing takes whole pieces each 200 ms tick to catch up with the clock: off by at most the pieces of two ticks. */
function expectPace(first: TruthSample, last: TruthSample, perSecond: number, piece: number): void {
  const elapsedS = (last.t - first.t) / 1000;
  const slack = 2 * Math.max(piece, perSecond * 0.2);
  expect(Math.abs(last.retained.held - first.retained.held - perSecond * elapsedS)).toBeLessThanOrEqual(slack);
}

describe('the accuracy corpus target', () => {
  afterEach(stopAllTargets);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('retains off-heap Buffers at the pace asked (36 MB/h: ~10 KB/s), and its count is what the process holds in ArrayBuffers', async () => {
    const perHour = 36 * MB;
    const target = await start('off-heap', { RETAIN: 'off-heap', RETAIN_PER_HOUR: String(perHour), CHUNK_BYTES: '1024' });
    const first = await look(target);
    await sleep(3000);
    const last = await look(target);
    expectPace(first.now, last.now, perHour / HOUR_S, 1024);
    const held = last.now.retained.held - first.now.retained.held;
    expect(held).toBeGreaterThan(20 * 1024);
    expect(Math.abs(last.now.process.arrayBuffers - first.now.process.arrayBuffers - held)).toBeLessThanOrEqual(0.05 * held + 4096);
  });

  it('retains heap strings whose counted size is what V8 finds live after a full GC', async () => {
    const perHour = 3600 * MB;
    const target = await start('heap', { RETAIN: 'heap', RETAIN_PER_HOUR: String(perHour), CHUNK_BYTES: '4096' }, ['--expose-gc']);
    const first = await look(target, true);
    await sleep(3000);
    const last = await look(target, true);
    expectPace(first.now, last.now, perHour / HOUR_S, 4096);
    const held = last.now.retained.held - first.now.retained.held;
    expect(held).toBeGreaterThan(2 * MB);
    expect(Math.abs(last.now.process.heapUsed - first.now.process.heapUsed - held)).toBeLessThanOrEqual(0.1 * held);
  });

  it('counts every interval it never clears among the process own Timeout handles, and sockets left open as TCP handles', async () => {
    const timers = await start('timers', { RETAIN: 'timers', RETAIN_PER_HOUR: String(20 * HOUR_S) });
    const sockets = await start('sockets', { RETAIN: 'sockets', RETAIN_PER_HOUR: String(20 * HOUR_S) });
    await sleep(2000);
    await Promise.all([timers.stop(), sockets.stop()]);
    const timeline = readTruth(join(scratch, 'timers.ndjson'))!.samples;
    const baseline = timeline[0]!.handles.Timeout! - timeline[0]!.retained.held;
    expect(timeline.at(-2)!.retained.held).toBeGreaterThanOrEqual(20);
    for (const sample of timeline.slice(0, -1)) expect(sample.handles.Timeout).toBe(baseline + sample.retained.held);
    // Sockets: both ends of each pair, once open; the one in the middle of connecting shows as a handle a moment earlier.
    const open = readTruth(join(scratch, 'sockets.ndjson'))!.samples.at(-2)!;
    expect(open.retained.held).toBeGreaterThanOrEqual(20);
    expect(Math.abs(open.handles.TCPSocketWrap! - open.connections.open - open.retained.held)).toBeLessThanOrEqual(2);
  });

  it('stops at the plateau, steps in jumps and lets everything go at the end of each sawtooth', async () => {
    const perHour = String(360 * MB);
    const shape = (name: string, env: Record<string, string>) => start(name, { RETAIN: 'heap', RETAIN_PER_HOUR: perHour, CHUNK_BYTES: '4096', ...env });
    const plateau = await shape('plateau', { RETAIN_SHAPE: 'plateau', PLAN_MS: '2000', PLATEAU_AT: '0.5' });
    const steps = await shape('steps', { RETAIN_SHAPE: 'steps', STEP_EVERY_MS: '1000' });
    const sawtooth = await shape('sawtooth', { RETAIN_SHAPE: 'sawtooth', SAWTOOTH_PERIOD_MS: '1000' });
    await sleep(3500);
    await Promise.all([plateau.stop(), steps.stop(), sawtooth.stop()]);
    const held = (name: string) => readTruth(join(scratch, `${name}.ndjson`))!.samples.map((sample) => sample.retained.held);

    const filled = held('plateau');
    expect(filled.at(-1)).toBeGreaterThan(0.09 * MB);
    expect(filled.at(-1)).toBeLessThanOrEqual(0.1 * MB + 4096);
    expect(filled.at(-1)).toBe(filled.at(-4));

    const stepped = held('steps');
    const distinct = [...new Set(stepped)];
    expect(distinct.length).toBeGreaterThanOrEqual(3);
    expect(distinct.length).toBeLessThanOrEqual(5);
    expect(distinct.every((value, index) => index === 0 || value - distinct[index - 1]! >= 0.09 * MB)).toBe(true);

    const sawn = held('sawtooth');
    expect(Math.max(...sawn)).toBeLessThanOrEqual(0.1 * MB + 4096);
    expect(sawn.filter((value, index) => index > 0 && value < sawn[index - 1]!).length).toBeGreaterThanOrEqual(2);
  });

  it('holds state per open WebSocket connection, echoes, and lets the state go when the connection closes', async () => {
    const target = await start('ws', { WS: '1', CONN_STATE_BYTES: String(16 * 1024) });
    const clients = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const client = new WebSocket(`ws://127.0.0.1:${target.port}/`);
            client.once('open', () => resolve(client));
            client.once('error', reject);
          }),
      ),
    );
    const echo = await new Promise<string>((resolve) => {
      clients[0]!.once('message', (data) => resolve(String(data)));
      clients[0]!.send('{"id":1}');
    });
    expect(echo).toBe('{"id":1}');
    const holding = (await look(target)).now.connections;
    expect(holding.ws).toBe(3);
    expect(holding.stateBytes).toBeGreaterThanOrEqual(3 * 16 * 1024);
    for (const client of clients) client.close();
    expect(await waitFor(async () => (await look(target)).now.connections.ws === 0)).toBe(true);
    // The look itself comes over one HTTP connection, which holds its own state.
    expect((await look(target)).now.connections.stateBytes).toBeLessThan(2 * 16 * 1024 + 1);
  });
});
