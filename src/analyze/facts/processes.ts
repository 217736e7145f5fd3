import type { NodeProbeSample, OsProbeSample } from '../../store/records.js';
import { Series } from './series.js';

/**
 * One process of a service as the trend tests read it (a restart or a cluster worker is a separate
 * heap with its own history). A service keeps at most MAX_PROCESSES of them: a new one replaces the
 * one with the fewest samples, so a crash loop's short lives make room while long lives stay.
 */
export const MAX_PROCESSES = 16;
/**
 * Handle types kept as series per process; the rest still count in the total. A process holds six
 * trend series (heap, post-GC heap, external, post-GC external, RSS, handle total) and one per handle
 * type, each at most SERIES_CAPACITY points of five numbers (160 KB).
 */
export const MAX_HANDLE_TYPES = 32;

export interface NodeProcess {
  pid: number;
  firstT: number;
  lastT: number;
  samples: number;
  heapUsed: Series;
  postGc: Series;
  /** Off-heap memory: external (which counts the ArrayBuffer backing stores of Buffers), every sample and right after major GCs. */
  external: Series;
  postGcExternal: Series;
  rss: Series;
  /** Native memory: the RSS less V8's committed heap and the off-heap memory V8 is told of, which have series of their own. */
  native: Series;
  heapLimit: number;
  handles: Map<string, Series>;
  handlesTotal: Series;
}

export interface OsProcess {
  pid: number;
  firstT: number;
  lastT: number;
  samples: number;
  /** The RSS of the process tree as measured. */
  rss: Series;
  /**
   * The RSS of the process tree less the step at each change of its process count. A server that forks a
   * process per connection (PostgreSQL) grows its tree by each one's resident memory as its clients
   * connect: that is the connections' memory, not a leak, and it comes in one step between two readings.
   */
  rssLessForks: Series;
  /** What the steps taken out add up to, and the last reading's process count and RSS. */
  forkSteps: number;
  lastChildren: number;
  lastRss: number;
}

function makeRoom<T extends { samples: number }>(processes: Map<number, T>): void {
  if (processes.size < MAX_PROCESSES) return;
  let smallest: [number, T] | undefined;
  for (const entry of processes) if (!smallest || entry[1].samples < smallest[1].samples) smallest = entry;
  if (smallest) processes.delete(smallest[0]);
}

export function addNodeSample(processes: Map<number, NodeProcess>, sample: NodeProbeSample): void {
  let process = processes.get(sample.pid);
  if (!process) {
    makeRoom(processes);
    process = {
      pid: sample.pid,
      firstT: sample.t,
      lastT: sample.t,
      samples: 0,
      heapUsed: new Series(),
      postGc: new Series(),
      external: new Series(),
      postGcExternal: new Series(),
      rss: new Series(),
      native: new Series(),
      heapLimit: sample.heapLimit,
      handles: new Map(),
      handlesTotal: new Series(),
    };
    processes.set(sample.pid, process);
  }
  process.samples += 1;
  process.lastT = Math.max(process.lastT, sample.t);
  process.heapLimit = sample.heapLimit;
  process.heapUsed.add(sample.t, sample.memory.heapUsed);
  if (sample.postGcHeap !== undefined) process.postGc.add(sample.t, sample.postGcHeap);
  process.external.add(sample.t, sample.memory.external);
  if (sample.postGcExternal !== undefined) process.postGcExternal.add(sample.t, sample.postGcExternal);
  process.rss.add(sample.t, sample.memory.rss);
  process.native.add(sample.t, sample.memory.rss - sample.memory.heapTotal - sample.memory.external);
  let total = 0;
  for (const [type, count] of Object.entries(sample.handles)) {
    total += count;
    let series = process.handles.get(type);
    if (!series && process.handles.size < MAX_HANDLE_TYPES) {
      series = new Series();
      // A type first seen late had none before: zero at every earlier sample.
      for (const earlier of process.handlesTotal.entries()) series.add(earlier.t, 0);
      process.handles.set(type, series);
    }
    series?.add(sample.t, count);
  }
  for (const [type, series] of process.handles) if (sample.handles[type] === undefined) series.add(sample.t, 0);
  process.handlesTotal.add(sample.t, total);
}

export function addOsSample(processes: Map<number, OsProcess>, sample: OsProbeSample): void {
  let process = processes.get(sample.pid);
  if (!process) {
    makeRoom(processes);
    process = { pid: sample.pid, firstT: sample.t, lastT: sample.t, samples: 0, rss: new Series(), rssLessForks: new Series(), forkSteps: 0, lastChildren: sample.children, lastRss: sample.rss };
    processes.set(sample.pid, process);
  }
  if (sample.children !== process.lastChildren) process.forkSteps += sample.rss - process.lastRss;
  process.lastChildren = sample.children;
  process.lastRss = sample.rss;
  process.samples += 1;
  process.lastT = Math.max(process.lastT, sample.t);
  process.rss.add(sample.t, sample.rss);
  process.rssLessForks.add(sample.t, sample.rss - process.forkSteps);
}
