/**
 * The target's own timeline (bench/corpus/target/truth.js), read back, and the figures a finding is
 * checked against: the true rate over a window and the true time to the limit that would stop it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MB, type Memory } from './cells.js';

export interface TruthStart {
  type: 'start';
  t: number;
  pid: number;
  params: Record<string, unknown>;
  heapLimit: number;
  memoryLimit: number;
  index?: { entries: number; bytes: number; buildMs: number };
}

export interface TruthSample {
  type: 'sample';
  t: number;
  retained: { kind: string; unit: 'bytes' | 'handles'; held: number; pieces: number };
  connections: { open: number; opened: number; stateBytes: number; ws: number };
  requests: number;
  handlerMaxMs: number;
  loopDelay: { intervalMaxMs: number; maxMs: number };
  gc: { majors: number; majorMaxMs: number; majorTotalMs: number; minors: number };
  process: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; rss: number };
  handles: Record<string, number>;
}

export interface Truth {
  start: TruthStart;
  samples: TruthSample[];
}

/** Undefined when the target never wrote one (it did not start). */
export function readTruth(file: string): Truth | undefined {
  if (!existsSync(file)) return undefined;
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TruthStart | TruthSample);
  const start = records.find((record): record is TruthStart => record.type === 'start');
  return start ? { start, samples: records.filter((record): record is TruthSample => record.type === 'sample') } : undefined;
}

const HOUR_MS = 3_600_000;

/** Least-squares slope of `value` per hour over the samples in [from, to]; undefined with fewer than 2. */
export function slopePerHour(samples: TruthSample[], value: (sample: TruthSample) => number, from: number, to: number): number | undefined {
  const inside = samples.filter((sample) => sample.t >= from && sample.t <= to);
  if (inside.length < 2) return undefined;
  const meanT = inside.reduce((sum, sample) => sum + sample.t, 0) / inside.length;
  const meanY = inside.reduce((sum, sample) => sum + value(sample), 0) / inside.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of inside) {
    covariance += (sample.t - meanT) * (value(sample) - meanY);
    variance += (sample.t - meanT) ** 2;
  }
  return variance > 0 ? (covariance / variance) * HOUR_MS : undefined;
}

/** What the target retained on purpose, in the unit its findings state: MB for memory, a count for handles. */
export function retainedAmount(sample: TruthSample): number {
  return sample.retained.unit === 'bytes' ? sample.retained.held / MB : sample.retained.held;
}

/** The true rate of what was retained on purpose over [from, to], MB/h or handles/h. */
export function trueRate(truth: Truth, from: number, to: number): number | undefined {
  return slopePerHour(truth.samples, retainedAmount, from, to);
}

/**
 * Hours from `at` until the memory that leaks reaches the limit that stops the process, at the true
 * rate: the heap limit for the heap (from its floor, the least heapUsed over the minute before `at`);
 * the cgroup limit or the machine's memory for off-heap and native memory (from the RSS at `at`).
 */
export function trueHoursToLimit(truth: Truth, memory: Memory, rateMBPerHour: number, at: number): number | undefined {
  if (!(rateMBPerHour > 0)) return undefined;
  const before = truth.samples.filter((sample) => sample.t <= at && sample.t >= at - 60_000);
  if (before.length === 0) return undefined;
  const level = memory === 'heap' ? Math.min(...before.map((sample) => sample.process.heapUsed)) : before[before.length - 1]!.process.rss;
  const limit = memory === 'heap' ? truth.start.heapLimit : truth.start.memoryLimit;
  return Math.max(0, (limit - level) / MB / rateMBPerHour);
}

/** A few facts of the run as the target saw them, for the results file and the notes of healthy cells. */
export function truthFacts(truth: Truth): Record<string, number> {
  const last = truth.samples[truth.samples.length - 1];
  if (!last) return {};
  return {
    retainedAtEnd: round(retainedAmount(last)),
    peakConnections: Math.max(...truth.samples.map((sample) => sample.connections.open)),
    peakConnectionStateMB: round(Math.max(...truth.samples.map((sample) => sample.connections.stateBytes)) / MB),
    peakWs: Math.max(...truth.samples.map((sample) => sample.connections.ws)),
    requests: last.requests,
    majorGcs: last.gc.majors,
    majorGcMaxMs: last.gc.majorMaxMs,
    loopDelayMaxMs: last.loopDelay.maxMs,
    handlerMaxMs: last.handlerMaxMs,
    ...(truth.start.index ? { indexMB: round(truth.start.index.bytes / MB) } : {}),
  };
}

const round = (value: number) => Math.round(value * 100) / 100;
