import { spawn, type ChildProcess } from 'node:child_process';
import { build } from 'hdr-histogram-js';
import { afterEach, describe, expect, it } from 'vitest';
import { httpDriver, runStream } from '../../src/load/index.js';
import type { LoadInterval } from '../../src/store/records.js';
import { decodeInterval } from '../helpers/intervals.js';

const rate = 200;
const durationS = 15;
const stallMs = 500;
const everyMs = 5000;
/** The first stall starts this long after the target's first request, so the run holds exactly three. */
const firstStallMs = 2500;

let target: ChildProcess | undefined;
afterEach(() => {
  target?.kill('SIGKILL');
  target = undefined;
});

/** A target whose event loop stalls stallMs every everyMs, counted from its first request: a GC pause or a sync call. */
function stallingTarget(): Promise<string> {
  const source = `
    let stalls;
    require('node:http').createServer((request, response) => {
      stalls ??= setTimeout(function stall() {
        const end = Date.now() + ${stallMs};
        while (Date.now() < end);
        stalls = setTimeout(stall, ${everyMs - stallMs});
      }, ${firstStallMs});
      response.end('ok');
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  target = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => target!.stdout!.once('data', (data: Buffer) => resolve(`http://127.0.0.1:${data.toString().trim()}`)));
}

/** What an honest generator must read: each arrival waits for the stall it falls into to end. */
function truth(): { p99: number; max: number } {
  const latencies: number[] = [];
  for (let i = 0; i < rate * durationS; i++) {
    const at = (i * 1000) / rate;
    const intoCycle = at - firstStallMs;
    const intoStall = intoCycle >= 0 ? intoCycle % everyMs : -1;
    latencies.push(intoStall >= 0 && intoStall < stallMs ? stallMs - intoStall : 0);
  }
  latencies.sort((a, b) => a - b);
  return { p99: latencies[Math.ceil(0.99 * latencies.length) - 1]!, max: latencies.at(-1)! };
}

describe('latency fidelity of the open model', () => {
  it('against 500 ms stalls every 5 s at 200 req/s, reads p99 and max within 5 % of the truth', async () => {
    const baseUrl = await stallingTarget();
    const intervals: LoadInterval[] = [];
    await runStream(
      'http',
      httpDriver.schema.parse({ path: '/' }),
      {
        baseUrl,
        stream: 'http',
        phases: [{ name: 'steady', kind: 'steady', durationMs: durationS * 1000, rate }],
        intervalMs: 1000,
        onInterval: (interval) => intervals.push(interval),
        onPhase: () => {},
        signal: new AbortController().signal,
      },
      1,
    );
    const histogram = build();
    for (const interval of intervals) {
      const part = decodeInterval(interval.hdr);
      histogram.add(part);
      part.destroy();
    }
    const measured = { p99: histogram.getValueAtPercentile(99) / 1000, max: histogram.maxValue / 1000, count: histogram.totalCount };
    histogram.destroy();
    const expected = truth();
    // p99 450 ms and max 500 ms: a generator that measured from the actual send would read a few ms.
    expect(expected).toEqual({ p99: 450, max: 500 });
    expect(measured.count).toBe(rate * durationS);
    expect(Math.abs(measured.p99 - expected.p99) / expected.p99, `p99 ${measured.p99} ms`).toBeLessThanOrEqual(0.05);
    expect(Math.abs(measured.max - expected.max) / expected.max, `max ${measured.max} ms`).toBeLessThanOrEqual(0.05);
  });
});
