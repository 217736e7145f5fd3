import { DEFAULT_RECOVERY_MS } from '../defaults.js';
import type { Gauge } from '../against-load.js';
import type { RunFacts } from '../facts/builder.js';
import { effectiveEnd } from '../facts/spans.js';
import type { Point } from '../stats/index.js';

/**
 * When the load's plan ends: its last phase's planned end, less one recording interval (the interval
 * that closes there already records the load being stopped); the last interval's end when phases are
 * unknown; Infinity without load. What comes after (connections closing, timers running out) is the
 * drain soak causes, not the target's trend.
 */
function loadEnd(facts: RunFacts): number {
  if (facts.phases.length > 0) return Math.max(...facts.phases.map((span) => span.start + span.plannedMs)) - (facts.load.intervalMs ?? 0);
  let end = -Infinity;
  for (const cell of facts.load.cells.values()) end = Math.max(end, cell.tally.t);
  return end === -Infinity ? Infinity : end;
}

/**
 * The moments a trend detector (memory, handles) judges a process on: after its warm-up, until the
 * load's plan ended (see loadEnd), and outside every fault and the recovery time after it (the scenario's recovery
 * budget, else 10 s). A paused dependency drops the target's connections and a restarted one brings
 * them back: what a fault takes away and gives back is the fault's impact, judged by fault-impact and
 * slow-recovery, not growth.
 */
export function trendTimes(facts: RunFacts, firstT: number): (t: number) => boolean {
  const settle = facts.config.recoveryMs ?? DEFAULT_RECOVERY_MS;
  const from = firstT + facts.config.warmupMs;
  const until = loadEnd(facts);
  const faults = facts.faults.map((span) => ({ start: span.start, end: effectiveEnd(span, facts.endT) + settle }));
  return (t) => t >= from && t <= until && !faults.some((span) => t >= span.start && t <= span.end);
}

/**
 * What the load held open for a service: the gauges of the streams that send to it (all streams when
 * the records do not say), summed per recording interval. Undefined without load.
 */
export function loadGauge(facts: RunFacts, service: string, keep: (t: number) => boolean): Gauge | undefined {
  const streams = [...facts.gauges.streams.values()].filter((gauge) => {
    const target = facts.streamTargets.get(gauge.stream);
    return target === undefined || target === service;
  });
  if (streams.length === 0) return undefined;
  if (streams.length === 1) return { points: streams[0]!.held.points('mean', keep), unit: streams[0]!.unit };
  const width = Math.max(facts.load.intervalMs ?? 1000, 1);
  const sums = new Map<number, { t: number; n: number; y: number }>();
  for (const stream of streams) {
    const steps = new Map<number, { t: number; y: number; n: number }>();
    for (const point of stream.held.points('mean', keep)) {
      const step = Math.floor((point.x - facts.startT) / width);
      const at = steps.get(step) ?? { t: 0, y: 0, n: 0 };
      at.t += point.x;
      at.y += point.y;
      at.n += 1;
      steps.set(step, at);
    }
    for (const [step, at] of steps) {
      const sum = sums.get(step) ?? { t: 0, n: 0, y: 0 };
      sum.t += at.t / at.n;
      sum.n += 1;
      sum.y += at.y / at.n;
      sums.set(step, sum);
    }
  }
  const points: Point[] = [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([, sum]) => ({ x: sum.t / sum.n, y: sum.y }));
  const units = new Set(streams.map((stream) => stream.unit));
  return { points, unit: units.size === 1 ? [...units][0]! : 'connection held' };
}

/** The memory a process can have before it is stopped: its container's limit, else the cgroup's soak ran in, else the machine's (all from the records). */
export function memoryLimitOf(facts: RunFacts, service: string): { bytes: number; name: string } {
  const { memoryLimit, totalMemory } = facts.meta.host;
  const container = facts.services.get(service)?.containerMemoryLimit;
  if (container !== undefined && container < totalMemory) return { bytes: container, name: 'container memory limit' };
  return memoryLimit !== undefined ? { bytes: memoryLimit, name: 'memory limit' } : { bytes: totalMemory, name: 'total memory' };
}
