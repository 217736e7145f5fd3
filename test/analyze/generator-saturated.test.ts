import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze, defaultAnalysisConfig } from '../../src/analyze/index.js';
import { generatorSaturated } from '../../src/analyze/detectors/generator-saturated.js';
import { httpDriver } from '../../src/load/index.js';
import type { GeneratorFigures, LoadInterval } from '../../src/store/records.js';
import { judged, loadInterval, makeRun, ticks } from './run-builder.js';

const config = defaultAnalysisConfig();
const calm: GeneratorFigures = { threads: 1, loopDelay: { p99: 1, max: 3 }, utilization: 0.2, cpu: 0.18, sendLag: { count: 100, p99: 1.2, max: 2, hdr: '' } };
const withGenerator = (t: number, generator: Partial<GeneratorFigures>, overrides: Partial<LoadInterval> = {}) =>
  loadInterval(t, { offeredRate: 100, generator: { ...calm, ...generator }, ...overrides });

let target: ChildProcess | undefined;
afterEach(() => {
  target?.kill('SIGKILL');
  target = undefined;
});

describe('generator-saturated detector', () => {
  it('says so when a driver thread was busy all the time, and names the stream, threads and figures', () => {
    const load = ticks(1, 20).map((t, index) => withGenerator(t, index >= 5 ? { utilization: 0.99, cpu: 0.97 } : {}, { latency: { count: 100, mean: 300, p50: 200, p90: 700, p99: 900, max: 950 } }));
    const [finding, ...rest] = generatorSaturated.detect(judged(makeRun({ load }), config));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: 'generator-saturated', severity: 'warn', at: load[5]!.t });
    expect(finding!.evidence).toMatchObject({ stream: 'http', threads: 1, intervalsBehind: 15, busyIntervals: 15, lateIntervals: 0, busiestThread: { utilization: 0.99, cpu: 0.97 }, latencyP99Ms: 900 });
    expect(finding!.evidence.summary).toMatch(/soak's own load generator fell behind on stream http/);
    expect(finding!.evidence.summary).toMatch(/load\.workers/);
  });

  it('says so when arrivals left soak well after their intended time', () => {
    const load = ticks(1, 20).map((t, index) => withGenerator(t, index % 4 === 0 ? { sendLag: { count: 100, p99: 240, max: 300, hdr: '' } } : {}));
    const [finding] = generatorSaturated.detect(judged(makeRun({ load }), config));
    expect(finding!.evidence).toMatchObject({ lateIntervals: 4, busyIntervals: 0, sendLagMs: { p99: 240, max: 300 } });
  });

  it('stays quiet for a slow target driven by a generator that kept up, for a blip, and for runs recorded without generator figures', () => {
    const slowTarget = ticks(1, 20).map((t) => withGenerator(t, {}, { latency: { count: 100, mean: 800, p50: 700, p90: 1500, p99: 2500, max: 3000 }, completed: 30 }));
    expect(generatorSaturated.detect(judged(makeRun({ load: slowTarget }), config))).toEqual([]);
    const blip = ticks(1, 20).map((t, index) => withGenerator(t, index === 7 || index === 8 ? { utilization: 1 } : {}));
    expect(generatorSaturated.detect(judged(makeRun({ load: blip }), config))).toEqual([]);
    expect(generatorSaturated.detect(judged(makeRun({ load: ticks(1, 20).map((t) => loadInterval(t)) }), config))).toEqual([]);
  });

  it('reports a real driver that fell behind as the generator, and finds nothing wrong with the fast target', async () => {
    target = spawn(process.execPath, ['-e', "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port); })"], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => target!.stdout!.once('data', (data: Buffer) => resolve(data.toString().trim())));
    // soak's own thread is blocked for 150 ms of every 250: arrivals due meanwhile leave late.
    const blocker = setInterval(() => {
      const end = Date.now() + 150;
      while (Date.now() < end);
    }, 250);
    const load: LoadInterval[] = [];
    try {
      await httpDriver.run(httpDriver.schema.parse({ path: '/' }), {
        baseUrl: `http://127.0.0.1:${port}`,
        stream: 'http',
        phases: [{ name: 'steady', kind: 'steady', durationMs: 3000, rate: 200 }],
        intervalMs: 250,
        onInterval: (interval) => load.push(interval),
        onPhase: () => {},
        signal: new AbortController().signal,
      });
    } finally {
      clearInterval(blocker);
    }
    const findings = analyze(judged(makeRun({ load, durationMs: 3000 }), config));
    expect(findings.map((finding) => finding.kind)).toEqual(['generator-saturated']);
    expect(findings[0]!.evidence.lateIntervals).toBeGreaterThanOrEqual(3);
  });
});
