import type { ContainerSample, LoadInterval, NodeProbeSample, OsProbeSample, RunRecord } from '../store/records.js';

/** A process probed from the inside: its last sample, and its CPU and GC summed over its samples. */
export interface ProbedProcess {
  sample: NodeProbeSample;
  postGcHeap: number | undefined;
  cpuSeconds: number;
  gc: Map<string, { count: number; pauseSeconds: number }>;
}

/** A process that has sent nothing for this many sample intervals while its service went on is gone: its figures stop being current. */
const GONE_AFTER_SAMPLES = 5;

/**
 * The figures of the moment the metrics endpoint shows, folded from the records as they are read:
 * each process's last sample and its running totals, each service's process tree and container,
 * each stream's last interval. Bounded: processes that stopped sampling are dropped.
 */
export class LatestFigures {
  readonly processes = new Map<string, ProbedProcess>();
  readonly trees = new Map<string, OsProbeSample>();
  readonly containers = new Map<string, ContainerSample>();
  readonly streams = new Map<string, LoadInterval>();

  constructor(private readonly sampleIntervalMs: number) {}

  add(record: RunRecord): void {
    if (record.kind === 'load') this.streams.set(record.interval.stream, record.interval);
    else if (record.kind === 'probe') {
      const { sample } = record;
      if (sample.source === 'node') this.node(sample);
      else if (sample.source === 'os') this.trees.set(sample.service, sample);
      else this.containers.set(sample.service, sample);
    }
  }

  private node(sample: NodeProbeSample): void {
    const key = `${sample.service}\u0000${sample.pid}`;
    let process = this.processes.get(key);
    if (!process) {
      this.forgetGone(sample);
      this.processes.set(key, (process = { sample, postGcHeap: undefined, cpuSeconds: 0, gc: new Map() }));
    }
    process.sample = sample;
    if (sample.postGcHeap !== undefined) process.postGcHeap = sample.postGcHeap;
    process.cpuSeconds += (sample.cpu.user + sample.cpu.system) / 1000;
    for (const [kind, gc] of Object.entries(sample.gc)) {
      const total = process.gc.get(kind) ?? { count: 0, pauseSeconds: 0 };
      total.count += gc.count;
      total.pauseSeconds += gc.pauseMs / 1000;
      process.gc.set(kind, total);
    }
  }

  /** A new process of a service: those of it that went quiet (restarted, crashed) are gone. */
  private forgetGone(sample: NodeProbeSample): void {
    for (const [key, process] of this.processes) {
      if (process.sample.service === sample.service && process.sample.t < sample.t - GONE_AFTER_SAMPLES * this.sampleIntervalMs) this.processes.delete(key);
    }
  }
}
