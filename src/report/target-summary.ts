import type { RunFacts } from '../analyze/facts/builder.js';
import type { ServiceFacts } from '../analyze/facts/service.js';
import type { Series } from '../analyze/facts/series.js';

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

const peak = (series: Series) => (series.samples > 0 ? series.high : null);

export function summarizeService(facts: RunFacts, service: ServiceFacts): ServiceSummary {
  const pids = service.starts.map((event) => event.pid);
  const last = service.lastNode;
  return {
    name: service.name,
    pid: pids.at(-1) ?? last?.pid ?? service.lastOsPid ?? null,
    pids,
    exits: service.exits.map(({ t, pid, code, signal, expected, stderrTail }) => ({ t, pid, code, signal, expected, stderrTail })),
    peakRss: peak(service.rss),
    peakTreeRss: peak(service.treeRss),
    heapLimit: last?.heapLimit ?? null,
    peakHeapUsed: peak(service.heapUsed),
    lastHeapUsed: last?.memory.heapUsed ?? null,
    postGc: service.postGc.samples > 0 ? { min: service.postGc.low, max: service.postGc.high, last: service.postGc.last!.y } : null,
    eventLoopP99Max: peak(service.loopP99),
    eventLoopMax: peak(service.loopMax),
    handlesLast: last ? { total: Object.values(last.handles).reduce((sum, count) => sum + count, 0), byType: last.handles } : null,
    peakChildren: peak(service.children),
    meanCpuPercent: service.treeCpu.mean ?? null,
  };
}

/** Every service of the run in the order first seen; the facts keep them so. */
export const servicesOf = (facts: RunFacts): ServiceFacts[] => [...facts.services.values()];
