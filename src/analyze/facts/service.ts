import type { ContainerSample, NodeProbeSample, OsProbeSample, RunEvent } from '../../store/records.js';
import type { AnalysisConfig } from '../types.js';
import { EventLoopStalls } from './event-loop.js';
import { PoolFacts } from './pools.js';
import { addNodeSample, addOsSample, MAX_HANDLE_TYPES, type NodeProcess, type OsProcess } from './processes.js';
import { Series } from './series.js';
import type { FaultSpan } from './spans.js';

export type ServiceExit = Extract<RunEvent, { type: 'service-exit' }>;
export type ChildExit = Extract<RunEvent, { type: 'child-exit' }>;

/** Bounds of what a service keeps of its events and processes, whatever the length of the run. */
export const MAX_EXITS = 1000;
export const MAX_LIVES = 2000;
/** Chart series of a service: the report draws at most about 1,000 points a line. */
export const CHART_CAPACITY = 2048;

/** A pool's figures over time, for its chart and the pool budget. */
export interface PoolSeries {
  total: Series;
  idle: Series;
  waiting: Series;
}

/** Everything the run's records say of one service, folded as they arrive. */
export class ServiceFacts {
  /** Probe samples from inside the service (Node), and over time. */
  nodeSamples = 0;
  lastNode: NodeProbeSample | undefined;
  readonly heapUsed = new Series(CHART_CAPACITY);
  readonly postGc = new Series(CHART_CAPACITY);
  readonly rss = new Series(CHART_CAPACITY);
  readonly loopP50 = new Series(CHART_CAPACITY);
  readonly loopP99 = new Series(CHART_CAPACITY);
  readonly loopMax = new Series(CHART_CAPACITY);
  readonly utilization = new Series(CHART_CAPACITY);
  readonly cpuPercent = new Series(CHART_CAPACITY);
  readonly handlesTotal = new Series(CHART_CAPACITY);
  readonly handles = new Map<string, Series>();
  readonly handlePeaks = new Map<string, number>();
  readonly pools = new Map<string, PoolSeries>();
  readonly poolFacts = new Map<string, PoolFacts>();
  readonly nodeProcesses = new Map<number, NodeProcess>();
  readonly stalls: EventLoopStalls;
  private readonly lastCpuSample = new Map<number, number>();

  /** The process tree from the OS. */
  readonly treeRss = new Series(CHART_CAPACITY);
  readonly treeCpu = new Series(CHART_CAPACITY);
  readonly children = new Series(CHART_CAPACITY);
  readonly osProcesses = new Map<number, OsProcess>();
  lastOsPid: number | undefined;

  /** The container, from its engine. */
  readonly containerMemory = new Series(CHART_CAPACITY);
  readonly containerCpu = new Series(CHART_CAPACITY);

  /** Processes by pid as the probe saw them live: first and last sample. */
  readonly lives = new Map<number, { first: number; last: number }>();
  readonly starts: Extract<RunEvent, { type: 'service-start' }>[] = [];
  readyAt: number | undefined;
  readonly exits: ServiceExit[] = [];
  exitCount = 0;
  /** Non-zero exits of its node children (the last MAX_EXITS), and how many there were. */
  readonly childCrashes: ChildExit[] = [];
  childCrashCount = 0;

  constructor(
    readonly name: string,
    config: AnalysisConfig,
    private readonly sampleIntervalMs: number,
  ) {
    this.stalls = new EventLoopStalls(config, sampleIntervalMs);
  }

  /** `judgeLoop`: the service is past its readiness (or reports none). */
  addNode(sample: NodeProbeSample, judgeLoop: boolean, faults: readonly FaultSpan[]): void {
    const { t } = sample;
    this.nodeSamples += 1;
    this.lastNode = sample;
    this.heapUsed.add(t, sample.memory.heapUsed);
    if (sample.postGcHeap !== undefined) this.postGc.add(t, sample.postGcHeap);
    this.rss.add(t, sample.memory.rss);
    this.loopP50.add(t, sample.eventLoop.p50);
    this.loopP99.add(t, sample.eventLoop.p99);
    this.loopMax.add(t, sample.eventLoop.max);
    this.utilization.add(t, sample.eventLoop.utilization);
    const previousT = this.lastCpuSample.get(sample.pid);
    const elapsed = previousT !== undefined ? t - previousT : this.sampleIntervalMs;
    this.lastCpuSample.set(sample.pid, t);
    if (elapsed > 0) this.cpuPercent.add(t, ((sample.cpu.user + sample.cpu.system) / elapsed) * 100);
    let total = 0;
    for (const [type, count] of Object.entries(sample.handles)) {
      total += count;
      this.handlePeaks.set(type, Math.max(this.handlePeaks.get(type) ?? 0, count));
      let series = this.handles.get(type);
      if (!series && this.handles.size < MAX_HANDLE_TYPES) this.handles.set(type, (series = new Series(CHART_CAPACITY)));
      series?.add(t, count);
    }
    this.handlesTotal.add(t, total);
    for (const [name, reading] of Object.entries(sample.pools ?? {})) {
      let series = this.pools.get(name);
      if (!series) this.pools.set(name, (series = { total: new Series(CHART_CAPACITY), idle: new Series(CHART_CAPACITY), waiting: new Series(CHART_CAPACITY) }));
      series.total.add(t, reading.total);
      series.idle.add(t, reading.idle);
      series.waiting.add(t, reading.waiting);
      let facts = this.poolFacts.get(name);
      if (!facts) this.poolFacts.set(name, (facts = new PoolFacts(this.sampleIntervalMs)));
      facts.add({ t, pid: sample.pid, pool: reading }, faults);
    }
    addNodeSample(this.nodeProcesses, sample);
    this.live(sample.pid, t);
    if (judgeLoop) this.stalls.add(sample, this.readyAt);
  }

  addOs(sample: OsProbeSample): void {
    this.treeRss.add(sample.t, sample.rss);
    this.treeCpu.add(sample.t, sample.cpuPercent);
    this.children.add(sample.t, sample.children);
    this.lastOsPid = sample.pid;
    addOsSample(this.osProcesses, sample);
  }

  addContainer(sample: ContainerSample): void {
    this.containerMemory.add(sample.t, sample.memory);
    this.containerCpu.add(sample.t, sample.cpuPercent);
  }

  addExit(event: ServiceExit): void {
    this.exitCount += 1;
    if (this.exits.length < MAX_EXITS) this.exits.push(event);
  }

  addChildExit(event: ChildExit): void {
    if (event.code === 0) return;
    this.childCrashCount += 1;
    this.childCrashes.push(event);
    if (this.childCrashes.length > MAX_EXITS) this.childCrashes.shift();
  }

  private live(pid: number, t: number): void {
    const life = this.lives.get(pid);
    if (life) {
      life.last = Math.max(life.last, t);
      return;
    }
    if (this.lives.size >= MAX_LIVES) {
      let oldest: [number, { last: number }] | undefined;
      for (const entry of this.lives) if (!oldest || entry[1].last < oldest[1].last) oldest = entry;
      if (oldest) this.lives.delete(oldest[0]);
    }
    this.lives.set(pid, { first: t, last: t });
  }

  get probed(): boolean {
    return this.nodeSamples > 0;
  }
}
