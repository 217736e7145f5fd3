import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { defaultAnalysisConfig, factsOf, type AnalysisConfig, type RunFacts } from '../../src/analyze/index.js';
import { RECORDS_VERSION, type LoadInterval, type NodeProbeSample, type OsProbeSample, type RunEvent, type RunMeta, type RunRecord } from '../../src/store/records.js';

/** Synthetic runs for detector tests: every figure is chosen by the test, so the right answer is known. */

export const MB = 1024 * 1024;
export const T0 = 1_700_000_000_000;

/** Deterministic noise (mulberry32), so a statistical test gives the same answer on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roughly normal noise with the given standard deviation (sum of uniforms). */
export function gaussian(seed: number, sd: number): () => number {
  const next = random(seed);
  return () => (next() + next() + next() + next() + next() + next() - 3) * Math.SQRT2 * sd;
}

export function nodeSample(t: number, overrides: Partial<NodeProbeSample> = {}): NodeProbeSample {
  return {
    source: 'node',
    t,
    service: 'target',
    pid: 100,
    memory: { heapUsed: 20 * MB, heapTotal: 40 * MB, rss: 80 * MB, external: MB, arrayBuffers: 0 },
    heapLimit: 4096 * MB,
    gc: {},
    eventLoop: { min: 0.01, mean: 1, p50: 1, p99: 5, max: 8, utilization: 0.2 },
    handles: { TCPServerWrap: 1, Timeout: 1 },
    cpu: { user: 50, system: 10 },
    ...overrides,
  };
}

export function osSample(t: number, overrides: Partial<OsProbeSample> = {}): OsProbeSample {
  return { source: 'os', t, service: 'target', pid: 100, rss: 80 * MB, cpuPercent: 20, children: 0, threads: 7, ...overrides };
}

/** Latencies in ms recorded into a real HDR histogram (microseconds), encoded as the load drivers store it. */
export function encodeLatencies(latenciesMs: number[]): string {
  const histogram = build();
  for (const ms of latenciesMs) histogram.recordValue(Math.round(ms * 1000));
  const encoded = encodeIntoCompressedBase64(histogram);
  histogram.destroy();
  return encoded;
}

export function loadInterval(t: number, overrides: Partial<LoadInterval> = {}): LoadInterval {
  return {
    t,
    span: 1000,
    stream: 'http',
    driver: 'http',
    phase: 'steady',
    scheduled: 100,
    sent: 100,
    completed: 100,
    errors: 0,
    timeouts: 0,
    outcomes: { '2xx': 100 },
    latency: { count: 100, mean: 5, p50: 5, p90: 8, p99: 12, max: 15 },
    hdr: '',
    inflight: 1,
    ...overrides,
  };
}

export interface RunParts {
  node?: NodeProbeSample[];
  os?: OsProbeSample[];
  load?: LoadInterval[];
  events?: RunEvent[];
  durationMs?: number;
  sampleIntervalMs?: number;
}

/** A run's records as a test writes them; `judged` turns them into the facts every detector reads. */
export interface RunRecords {
  dir: string;
  meta: RunMeta;
  startT: number;
  /** The end of the run when no record says so: as if soak had seen the clock reach it. */
  endT: number;
  node: NodeProbeSample[];
  os: OsProbeSample[];
  load: LoadInterval[];
  events: RunEvent[];
}

export function testMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    recordsVersion: RECORDS_VERSION,
    soakVersion: 'test',
    name: 'synthetic',
    startedAt: T0,
    plannedMs: 60_000,
    sampleIntervalMs: 1000,
    scenario: {},
    host: { node: process.version, platform: 'linux', cpus: 2, hostname: 'test', totalMemory: 8192 * MB },
    ...overrides,
  };
}

export function makeRun(parts: RunParts): RunRecords {
  const durationMs = parts.durationMs ?? 60_000;
  return {
    dir: '/nonexistent/run',
    meta: testMeta({ plannedMs: durationMs, sampleIntervalMs: parts.sampleIntervalMs ?? 1000 }),
    startT: T0,
    endT: T0 + durationMs,
    node: parts.node ?? [],
    os: parts.os ?? [],
    load: parts.load ?? [],
    events: parts.events ?? [],
  };
}

/** The facts of records, judged with `config`, fed in time order as the reader feeds them. */
export function judged(run: RunRecords, config: AnalysisConfig = defaultAnalysisConfig()): RunFacts {
  const records: RunRecord[] = [
    ...run.events.map((event): RunRecord => ({ kind: 'event', event })),
    ...run.node.map((sample): RunRecord => ({ kind: 'probe', sample })),
    ...run.os.map((sample): RunRecord => ({ kind: 'probe', sample })),
    ...run.load.map((interval): RunRecord => ({ kind: 'load', interval })),
    { kind: 'event', event: { t: run.endT, type: 'note', message: 'the end of the records' } },
  ];
  return factsOf(run.dir, run.meta, records, config);
}

/** Times of a 1 Hz (or other) sampler from `from` to `to` seconds after the run start. */
export function ticks(fromS: number, toS: number, everyS = 1): number[] {
  const times: number[] = [];
  for (let s = fromS; s <= toS + 1e-9; s += everyS) times.push(T0 + Math.round(s * 1000));
  return times;
}
