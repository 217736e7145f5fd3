import type { RunFacts } from '../facts/builder.js';
import type { ServiceFacts } from '../facts/service.js';
import { theilSen, type Point } from '../stats/index.js';
import type { Detector, Finding } from '../types.js';
import { judgeMemory, type MemoryVerdict } from './memory-judge.js';
import { memoryFinding, type ProcessMemory } from './memory-finding.js';
import { heapSeries, offHeapSeries, rssSeries, treeSeries } from './memory-series.js';
import { loadGauge, trendTimes } from './trend-input.js';

/**
 * The RSS of a Node process is named (native memory) only when it grows more than this many times as
 * fast as the heap and off-heap memory together: V8 commits more heap than it uses, so a growing heap
 * raises the RSS by up to a few times its own growth; what outgrows that is the process's own
 * allocations (an addon, a native library, the allocator keeping what it freed).
 */
const NATIVE_FACTOR = 4;

/** Each memory of a Node process judged against the load: heap, off-heap, RSS. */
function nodeVerdicts(facts: RunFacts, service: ServiceFacts): ProcessMemory[] {
  const interval = facts.meta.sampleIntervalMs;
  return [...service.nodeProcesses.values()].flatMap((process) => {
    const keep = trendTimes(facts, process.firstT);
    const snapshots = (facts.holds.byService.get(service.name)?.holds ?? []).filter((hold) => hold.cause === 'heap-snapshot' && hold.pid === process.pid);
    const series = [heapSeries(process, keep, interval), offHeapSeries(process, keep, interval), rssSeries(process, keep, interval, snapshots)];
    const gauge = loadGauge(facts, service.name, keep);
    const verdicts = series.flatMap((one) => (one ? (judgeMemory(one, gauge, facts.config) ?? []) : []));
    const slopes = Object.fromEntries(series.flatMap((one) => (one ? [[one.memory, fittedSlope(one.points)]] : [])));
    return verdicts.length > 0 ? [{ pid: process.pid, process, verdicts, slopes }] : [];
  });
}

/** The RSS of a process tree sampled from the OS (a service soak does not probe from the inside). */
function osVerdicts(facts: RunFacts, service: ServiceFacts): ProcessMemory[] {
  return [...service.osProcesses.values()].flatMap((process) => {
    const keep = trendTimes(facts, process.firstT);
    const series = treeSeries(process, keep, facts.meta.sampleIntervalMs);
    if (!series) return [];
    const verdict = judgeMemory(series, loadGauge(facts, service.name, keep), facts.config);
    return verdict ? [{ pid: process.pid, verdicts: [verdict], slopes: {} }] : [];
  });
}

const isLeak = (verdict: MemoryVerdict) => verdict.outcome === 'leak' || verdict.outcome === 'over-budget';

/** The Theil-Sen slope of a series over time, whatever its verdict. */
function fittedSlope(points: readonly Point[]): number {
  const t0 = points[0]?.x ?? 0;
  return theilSen(points.map((point) => ({ x: point.x - t0, y: point.y }))).slope;
}

/**
 * The memory a process leaks: of the heap and off-heap memory that leak, the one that grows fastest
 * (a leak of Buffers also grows the heap by their small wrappers, but far slower); a leak outranks
 * growth over a budget. The RSS (native memory) only when it outgrows both (their fitted slopes,
 * leak or not) by NATIVE_FACTOR. Undefined when nothing leaks.
 */
export function leakingMemory(process: Pick<ProcessMemory, 'verdicts' | 'slopes'>): MemoryVerdict | undefined {
  const rank = (verdict: MemoryVerdict) => (verdict.outcome === 'leak' ? 1 : 0);
  const rss = process.verdicts.find((verdict) => verdict.series.memory === 'rss');
  const beside = Math.max(0, process.slopes.heap ?? 0) + Math.max(0, process.slopes['off-heap'] ?? 0);
  if (rss && isLeak(rss) && rss.growth.slopePerMs > NATIVE_FACTOR * beside) return rss;
  return process.verdicts.filter((verdict) => verdict.series.memory !== 'rss' && isLeak(verdict)).sort((a, b) => rank(b) - rank(a) || b.growth.slopePerMs - a.growth.slopePerMs)[0];
}

/** The finding of a service: its worst leak, else what grew with the load. */
function serviceFinding(facts: RunFacts, service: ServiceFacts): Finding[] {
  const processes = service.probed ? nodeVerdicts(facts, service) : osVerdicts(facts, service);
  const leaks = processes
    .map((process) => ({ process, leak: leakingMemory(process) }))
    .filter((entry) => entry.leak !== undefined)
    .sort((a, b) => Number(b.leak!.outcome === 'leak') - Number(a.leak!.outcome === 'leak') || b.leak!.growth.slopePerMs - a.leak!.growth.slopePerMs);
  const top = leaks[0];
  if (top) return [memoryFinding(facts, service.name, top.process, top.leak!, leaks.map((entry) => entry.process.pid))];
  // RSS that grows like a leak but no faster than the heap and off-heap memory explain is no finding of its own.
  const withLoad = processes.flatMap((process) => process.verdicts.filter((verdict) => !isLeak(verdict)).map((verdict) => ({ process, verdict })));
  const shown = withLoad.find((entry) => entry.verdict.outcome === 'confounded') ?? withLoad.find((entry) => entry.verdict.series.memory === 'heap') ?? withLoad[0];
  return shown ? [memoryFinding(facts, service.name, shown.process, shown.verdict, [shown.process.pid])] : [];
}

/**
 * Memory that keeps growing after the warm-up beyond what the load holds: the heap after major GCs,
 * off-heap memory and the RSS of each Node process; the RSS of the process tree of other services.
 * Growth that the load's gauges explain is reported as such (`memory-with-load`), not as a leak.
 */
export const memoryLeak: Detector = {
  name: 'memory-leak',
  detect(facts) {
    return [...facts.services.values()].flatMap((service) => serviceFinding(facts, service));
  },
};
