import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { Finding } from '../../src/analyze/types.js';
import { RECORDS_VERSION, type LoadInterval, type NodeProbeSample, type OsProbeSample, type RunEvent, type RunMeta } from '../../src/store/records.js';
import type { RunRecords } from '../analyze/run-builder.js';

export const hostileScript = '<script>alert(1)</script>';
export const hostileStderr = 'TypeError: bad <img src=x onerror=alert(2)> </script><script>alert(3)</script>';
export const hostilePool = 'pg</script><script>alert(4)</script>';
export const startT = 1_763_800_000_000;
export const faultStart = startT + 120_000;
export const faultEnd = startT + 150_000;

/** Deterministic pseudo-random numbers so every run of the tests sees the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Options {
  seconds: number;
  /** Distinct interval histograms to cycle through; the 8-hour run reuses a few to stay quick to build. */
  distinctHistograms?: number;
}

export interface SyntheticRun {
  run: RunRecords;
  findings: Finding[];
  /** Every latency recorded into the histograms, ms, so tests know the exact percentiles. */
  latenciesMs: number[];
  /** Index of the heapUsed spike: the highest heap sample of the run. */
  heapSpikeIndex: number;
}

function histogram(next: () => number, count: number, slow: boolean): { hdr: string; latenciesMs: number[] } {
  const recorder = build();
  const latenciesMs: number[] = [];
  for (let i = 0; i < count; i++) {
    // Mostly 2-20 ms, a slow tail to 400 ms, slower still while the fault is on.
    const ms = next() < 0.97 ? 2 + next() * 18 : 50 + next() * 350;
    const microseconds = Math.round(ms * (slow ? 5 : 1) * 1000);
    recorder.recordValue(microseconds);
    latenciesMs.push(microseconds / 1000);
  }
  const hdr = encodeIntoCompressedBase64(recorder);
  recorder.destroy();
  return { hdr, latenciesMs };
}

/** A run of the api service (Node, probed) and a db service (OS samples only), with load, a fault, a crash and findings. */
export function syntheticRun({ seconds, distinctHistograms }: Options): SyntheticRun {
  const next = random(42);
  const endT = startT + seconds * 1000;
  const heapSpikeIndex = Math.floor(seconds * 0.45);
  const meta: RunMeta = {
    recordsVersion: RECORDS_VERSION,
    soakVersion: 'test',
    name: 'checkout <b>soak</b>',
    scenarioFile: 'scenarios/checkout.ts',
    startedAt: startT,
    plannedMs: seconds * 1000,
    sampleIntervalMs: 1000,
    scenario: {},
    host: { node: process.version, platform: 'linux', cpus: 2, hostname: 'test-host', totalMemory: 8 * 2 ** 30 },
  };

  const node: NodeProbeSample[] = [];
  const os: OsProbeSample[] = [];
  const db: OsProbeSample[] = [];
  for (let i = 1; i <= seconds; i++) {
    const t = startT + i * 1000;
    const heapUsed = 40 * 2 ** 20 + i * 2_000 + next() * 2 ** 20 + (i === heapSpikeIndex ? 300 * 2 ** 20 : 0);
    node.push({
      source: 'node',
      t,
      service: 'api',
      pid: 4242,
      memory: { heapUsed, heapTotal: heapUsed * 1.3, rss: heapUsed * 2, external: 2 ** 20, arrayBuffers: 2 ** 18 },
      heapLimit: 4096 * 2 ** 20,
      ...(i % 10 === 0 ? { postGcHeap: 38 * 2 ** 20 + i * 2_000 } : {}),
      gc: { minor: { count: 3, pauseMs: 1.2 } },
      eventLoop: { min: 9, mean: 10.5, p50: 10.2, p99: 14 + next() * 6, max: 20 + next() * 30, utilization: 0.2 + next() * 0.3 },
      handles: { Socket: 10 + (i % 20), Timeout: 4, TCPServerWrap: 1, FSReqCallback: i % 3 },
      pools: { [hostilePool]: { total: 10, idle: Math.max(0, 6 - (i % 8)), waiting: i % 8 > 6 ? 3 : 0 } },
      cpu: { user: 200 + next() * 100, system: 50 },
    });
    os.push({ source: 'os', t: t + 5, service: 'api', pid: 4242, rss: heapUsed * 2.2, cpuPercent: 25 + next() * 10, children: i % 50 === 0 ? 1 : 0, threads: 11 });
    db.push({ source: 'os', t: t + 7, service: 'db', pid: 5151, rss: 90 * 2 ** 20, cpuPercent: 3, children: 4, threads: 20 });
  }

  const latenciesMs: number[] = [];
  const load: LoadInterval[] = [];
  const cycle = distinctHistograms ?? seconds;
  const cached: { hdr: string; latenciesMs: number[] }[] = [];
  for (let i = 1; i <= seconds; i++) {
    const t = startT + i * 1000;
    const inFault = t > faultStart && t <= faultEnd;
    const slot = inFault ? cycle : (i - 1) % cycle;
    const recorded = (cached[slot] ??= histogram(next, 100, inFault));
    latenciesMs.push(...recorded.latenciesMs);
    const failed = inFault ? 7 : 0;
    load.push({
      t,
      span: 1000,
      stream: 'http',
      driver: 'http',
      phase: i <= 60 ? 'warmup' : 'steady',
      scheduled: 100 + failed,
      sent: 100 + failed,
      completed: 100,
      errors: failed,
      timeouts: 0,
      outcomes: inFault ? { '2xx': 100, '5xx': 5, ECONNRESET: 2 } : { '2xx': 100 },
      latency: { count: 100, mean: 10, p50: 9, p90: 18, p99: 60, max: 300 },
      hdr: recorded.hdr,
      inflight: 3,
      offeredRate: 107,
    });
  }

  const events: RunEvent[] = [
    { t: startT, type: 'run-start', name: meta.name, plannedMs: meta.plannedMs },
    { t: startT + 10, type: 'service-start', service: 'db', pid: 5151, port: 5432 },
    { t: startT + 20, type: 'service-start', service: 'api', pid: 4242, port: 3000, url: 'http://127.0.0.1:3000' },
    { t: startT + 30, type: 'phase-start', stream: 'http', phase: 'warmup', kind: 'ramp', durationMs: 60_000 },
    { t: startT + 60_030, type: 'phase-start', stream: 'http', phase: 'steady', kind: 'steady', durationMs: (seconds - 60) * 1000 },
    { t: faultStart, type: 'fault-start', fault: 'slow-db', kind: 'latency', target: 'db' },
    { t: faultEnd, type: 'fault-end', fault: 'slow-db', kind: 'latency', target: 'db' },
    { t: endT - 500, type: 'service-exit', service: 'api', pid: 4242, code: 1, signal: null, expected: false, stderrTail: ['starting', hostileStderr] },
    { t: endT, type: 'run-end', reason: 'completed' },
  ];

  const findings: Finding[] = [
    {
      kind: 'memory-leak',
      severity: 'fail',
      title: 'heap grows 6.9 MB/hour',
      service: 'api',
      at: startT + 90_000,
      evidence: {
        summary: `heapUsed after GC grows steadily; last allocation site ${hostileScript}`,
        slopeMBPerHour: 6.87,
        confidence: 0.999,
        heapUsedBytes: 52_428_800,
        trend: { t0: startT + 30_000, y0: 38 * 2 ** 20 + 60_000, slopePerMs: 2 },
      },
    },
    {
      kind: 'error-rate',
      severity: 'warn',
      title: `errors while ${hostileScript} was injected`,
      at: faultStart,
      evidence: { summary: 'error rate 6.5% during the fault window', errorRate: 0.065, windowStart: faultStart, windowEnd: faultEnd },
    },
  ];

  return {
    run: { dir: '/tmp/soak-report-test', meta, startT, endT, node, os: [...os, ...db], load, events },
    findings,
    latenciesMs,
    heapSpikeIndex,
  };
}

/** Nearest-rank percentile, the definition HDR histograms use. */
export function exactPercentile(sortedValues: number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * sortedValues.length));
  return sortedValues[rank - 1]!;
}
