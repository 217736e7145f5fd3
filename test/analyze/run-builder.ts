import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { RunData } from '../../src/analyze/types.js';
import type { LoadInterval, NodeProbeSample, OsProbeSample, RunEvent } from '../../src/store/records.js';

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

function byService<T extends { service: string }>(samples: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const sample of samples) map.set(sample.service, [...(map.get(sample.service) ?? []), sample]);
  return map;
}

export function makeRun(parts: RunParts): RunData {
  const durationMs = parts.durationMs ?? 60_000;
  return {
    dir: '/nonexistent/run',
    meta: {
      soakVersion: 'test',
      name: 'synthetic',
      startedAt: T0,
      plannedMs: durationMs,
      sampleIntervalMs: parts.sampleIntervalMs ?? 1000,
      scenario: {},
      host: { node: process.version, platform: 'linux', cpus: 2, hostname: 'test' },
    },
    startT: T0,
    endT: T0 + durationMs,
    node: byService(parts.node ?? []),
    os: byService(parts.os ?? []),
    load: parts.load ?? [],
    events: parts.events ?? [],
  };
}

/** Times of a 1 Hz (or other) sampler from `from` to `to` seconds after the run start. */
export function ticks(fromS: number, toS: number, everyS = 1): number[] {
  const times: number[] = [];
  for (let s = fromS; s <= toS + 1e-9; s += everyS) times.push(T0 + Math.round(s * 1000));
  return times;
}
