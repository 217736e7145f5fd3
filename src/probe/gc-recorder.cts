import { GCProfiler } from 'node:v8';
import type { NodeProbeSample } from '../store/records.js';

/** V8's names for a collection, as GCProfiler reports them, by the kinds soak reports. */
const gcKinds: Record<string, string> = {
  Scavenge: 'minor',
  MinorMarkSweep: 'minor',
  MinorMarkCompact: 'minor',
  MarkSweepCompact: 'major',
  IncrementalMarking: 'incremental',
  ProcessWeakCallbacks: 'weakcb',
};

interface GcStatistic {
  gcType: string;
  /** Microseconds. */
  cost: number;
  afterGC: { heapStatistics: { usedHeapSize: number; externalMemory: number } };
}

export interface GcFigures {
  gc: NodeProbeSample['gc'];
  /** The lowest heap right after a major collection in the interval: the live set. */
  postGcHeap?: number;
  /**
   * Off-heap memory at that same moment: Buffers that were garbage have just been let go with their
   * wrappers, so what is left is off-heap memory still held.
   */
  postGcExternal?: number;
}

/**
 * Collections by kind with their pauses, and the heap each major one left, gathered by V8's
 * GCProfiler in native code and read once per sample. A PerformanceObserver would run JavaScript
 * after every collection, hundreds of times a second in a busy target; this runs none. The next
 * profiler starts before the previous one stops, so no collection falls between two samples.
 */
export class GcRecorder {
  private profiler = new GCProfiler();

  constructor() {
    this.profiler.start();
  }

  /** The figures since the previous call. */
  take(): GcFigures {
    const next = new GCProfiler();
    next.start();
    const statistics = (this.profiler.stop() as unknown as { statistics: GcStatistic[] }).statistics;
    this.profiler = next;
    const gc: NodeProbeSample['gc'] = {};
    let postGcHeap: number | undefined;
    let postGcExternal: number | undefined;
    for (const statistic of statistics) {
      const kind = gcKinds[statistic.gcType] ?? 'other';
      const totals = (gc[kind] ??= { count: 0, pauseMs: 0, maxPauseMs: 0 });
      totals.count += 1;
      totals.pauseMs += statistic.cost / 1000;
      totals.maxPauseMs = Math.max(totals.maxPauseMs ?? 0, statistic.cost / 1000);
      if (kind !== 'major') continue;
      const heap = statistic.afterGC.heapStatistics.usedHeapSize;
      if (postGcHeap === undefined || heap < postGcHeap) {
        postGcHeap = heap;
        postGcExternal = statistic.afterGC.heapStatistics.externalMemory;
      }
    }
    return postGcHeap === undefined ? { gc } : { gc, postGcHeap, postGcExternal };
  }
}
