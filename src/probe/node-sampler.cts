import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { EventLoopSample, NodeProbeSample } from '../store/records.js';
import { GcRecorder } from './gc-recorder.cjs';
import { roundMs, type PoolRegistry } from './pools.cjs';

/**
 * The histogram records the full time between its timer's ticks, so an idle loop reads as the
 * resolution itself; it is subtracted to report delay only. 10 ms keeps the timer cheap while
 * still catching any stall worth a finding.
 */
const LOOP_RESOLUTION_MS = 10;

/** Everything in one NodeProbeSample, each figure covering the time since the previous sample. */
export class NodeSampler {
  private loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  /** When the histogram last started afresh (performance.now(), ms): the time its figures should cover. */
  private loopSince = performance.now();
  private lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();
  private lastCpu = process.cpuUsage();
  private readonly gc = new GcRecorder();

  constructor(
    private readonly service: string,
    private readonly pools: PoolRegistry,
  ) {
    this.loopDelay.enable();
  }

  sample(): NodeProbeSample {
    const { heapUsed, heapTotal, rss, external, arrayBuffers } = process.memoryUsage();
    const cpu = process.cpuUsage();
    const { gc, postGcHeap, postGcExternal } = this.gc.take();
    const sample: NodeProbeSample = {
      source: 'node',
      t: Date.now(),
      service: this.service,
      pid: process.pid,
      memory: { heapUsed, heapTotal, rss, external, arrayBuffers },
      heapLimit: getHeapStatistics().heap_size_limit,
      gc: roundPauses(gc),
      eventLoop: this.eventLoop(),
      handles: countByType(process.getActiveResourcesInfo()),
      cpu: { user: roundMs((cpu.user - this.lastCpu.user) / 1000), system: roundMs((cpu.system - this.lastCpu.system) / 1000) },
    };
    if (postGcHeap !== undefined) sample.postGcHeap = postGcHeap;
    if (postGcExternal !== undefined) sample.postGcExternal = postGcExternal;
    const pools = this.pools.sample();
    if (pools) sample.pools = pools;
    this.lastCpu = cpu;
    return sample;
  }

  /**
   * Runs work that holds the whole process still on soak's behalf (a heap snapshot). The stall is
   * soak's, not the target's, so it is kept out of the loop-delay figures: the histogram is stopped
   * before and a fresh one started after (re-enabling the same one would still record the gap), and
   * that interval's figures cover the time after the work only.
   */
  holdStill<T>(work: () => T): T {
    this.loopDelay.disable();
    try {
      return work();
    } finally {
      this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      this.loopDelay.enable();
      this.loopSince = performance.now();
    }
  }

  private eventLoop(): EventLoopSample {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, this.lastUtilization).utilization;
    this.lastUtilization = now;
    const histogram = this.loopDelay;
    const delay = (ns: number) => roundMs(Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS));
    // A histogram with no tick in the interval reads min as 2^63: report zeros instead.
    const loop =
      histogram.count === 0
        ? { min: 0, mean: 0, p50: 0, p99: 0, max: 0 }
        : { min: delay(histogram.min), mean: delay(histogram.mean), p50: delay(histogram.percentile(50)), p99: delay(histogram.percentile(99)), max: delay(histogram.max) };
    loop.max = Math.max(loop.max, roundMs(this.unrecordedStallMs(histogram)));
    histogram.reset();
    this.loopSince = performance.now();
    return { ...loop, utilization: Math.round(utilization * 10_000) / 10_000 };
  }

  /**
   * A stall the histogram did not record. After reset() its next tick only takes a new starting time,
   * so a stall that begins right after a sample (or one whose first late tick comes after the sample
   * that the stall delayed) leaves no delay in it at all. The ticks it did record cover their time
   * between them (mean x count); the time since the reset they leave uncovered, less a tick at each
   * end, was spent in such a stall.
   */
  private unrecordedStallMs(histogram: IntervalHistogram): number {
    const covered = histogram.count === 0 ? 0 : (histogram.mean / 1e6) * histogram.count;
    return Math.max(0, performance.now() - this.loopSince - covered - 2 * LOOP_RESOLUTION_MS);
  }
}

function roundPauses(gc: NodeProbeSample['gc']): NodeProbeSample['gc'] {
  for (const totals of Object.values(gc)) {
    totals.pauseMs = roundMs(totals.pauseMs);
    if (totals.maxPauseMs !== undefined) totals.maxPauseMs = roundMs(totals.maxPauseMs);
  }
  return gc;
}

function countByType(resources: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of resources) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
