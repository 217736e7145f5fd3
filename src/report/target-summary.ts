import type { RunData } from '../analyze/types.js';
import { eventsOf } from './run-events.js';

export interface ServiceExit {
  t: number;
  pid: number;
  code: number | null;
  signal: string | null;
  expected: boolean;
  stderrTail: string[];
}

/** One service's figures; null where the service was not sampled that way (no probe, not Node). */
export interface ServiceSummary {
  name: string;
  /** The last process started for the service. */
  pid: number | null;
  /** Every process started for it, in order: more than one means it was restarted. */
  pids: number[];
  exits: ServiceExit[];
  /** Highest RSS seen: the process itself (in-process probe) or its whole process tree (OS sampling). */
  peakRss: number | null;
  peakTreeRss: number | null;
  heapLimit: number | null;
  peakHeapUsed: number | null;
  lastHeapUsed: number | null;
  postGc: { min: number; max: number; last: number } | null;
  eventLoopP99Max: number | null;
  eventLoopMax: number | null;
  handlesLast: { total: number; byType: Record<string, number> } | null;
  peakChildren: number | null;
  meanCpuPercent: number | null;
}

function maxOf(values: number[]): number | null {
  return values.length > 0 ? values.reduce((a, b) => (b > a ? b : a), -Infinity) : null;
}

function minOf(values: number[]): number | null {
  return values.length > 0 ? values.reduce((a, b) => (b < a ? b : a), Infinity) : null;
}

export function summarizeService(run: RunData, name: string): ServiceSummary {
  const node = run.node.get(name) ?? [];
  const os = run.os.get(name) ?? [];
  const starts = eventsOf(run, 'service-start').filter((event) => event.service === name);
  const exits = eventsOf(run, 'service-exit')
    .filter((event) => event.service === name)
    .map(({ t, pid, code, signal, expected, stderrTail }) => ({ t, pid, code, signal, expected, stderrTail }));

  const pids = starts.map((event) => event.pid);
  const lastSample = node.at(-1);
  const postGc = node.flatMap((sample) => (sample.postGcHeap === undefined ? [] : [sample.postGcHeap]));
  const postGcMin = minOf(postGc);
  const postGcMax = maxOf(postGc);
  const cpu = os.map((sample) => sample.cpuPercent);

  return {
    name,
    pid: pids.at(-1) ?? lastSample?.pid ?? os.at(-1)?.pid ?? null,
    pids,
    exits,
    peakRss: maxOf(node.map((sample) => sample.memory.rss)),
    peakTreeRss: maxOf(os.map((sample) => sample.rss)),
    heapLimit: lastSample?.heapLimit ?? null,
    peakHeapUsed: maxOf(node.map((sample) => sample.memory.heapUsed)),
    lastHeapUsed: lastSample?.memory.heapUsed ?? null,
    postGc: postGcMin === null || postGcMax === null ? null : { min: postGcMin, max: postGcMax, last: postGc.at(-1)! },
    eventLoopP99Max: maxOf(node.map((sample) => sample.eventLoop.p99)),
    eventLoopMax: maxOf(node.map((sample) => sample.eventLoop.max)),
    handlesLast: lastSample
      ? { total: Object.values(lastSample.handles).reduce((sum, count) => sum + count, 0), byType: lastSample.handles }
      : null,
    peakChildren: maxOf(os.map((sample) => sample.children)),
    meanCpuPercent: cpu.length > 0 ? cpu.reduce((sum, value) => sum + value, 0) / cpu.length : null,
  };
}
