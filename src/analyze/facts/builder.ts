import { storedScenario } from '../../store/meta.js';
import type { LoadInterval, ProbeSample, RunEvent, RunMeta, RunRecord } from '../../store/records.js';
import type { AnalysisConfig } from '../types.js';
import { BASELINE_MS, FaultLoad, midpoint, type RecentInterval } from './faults.js';
import { LoadGauges } from './gauges.js';
import { TargetHolds } from './holds.js';
import { LoadFacts } from './load.js';
import { ServiceFacts } from './service.js';
import { SETTLE_MS } from './event-loop.js';
import { SoakDelays } from './soak-delays.js';
import { Spans, type FaultSpan, type PhaseSpan } from './spans.js';

type CheckEvent = Extract<RunEvent, { type: 'check' }>;
type WorkerLostEvent = Extract<RunEvent, { type: 'worker-lost' }>;
type RunEnd = Extract<RunEvent, { type: 'run-end' }>;

/**
 * What is known of a run: every figure the detectors, budgets, report, gate and comparison read,
 * defined once. Built record by record by RunFactsBuilder, after the run from its files and during
 * it from the records as they are written; what it holds is bounded whatever the run's length.
 */
export interface RunFacts {
  dir: string;
  meta: RunMeta;
  config: AnalysisConfig;
  startT: number;
  /** The run-end record's time, or the last record's while it goes on (or after soak was killed). */
  endT: number;
  end: RunEnd | undefined;
  phases: readonly PhaseSpan[];
  faults: readonly FaultSpan[];
  /** By name, in the order first seen. */
  services: ReadonlyMap<string, ServiceFacts>;
  load: LoadFacts;
  /** The load around each fault, in the order of `faults`. */
  faultLoad: readonly FaultLoad[];
  /** What each stream held open over time (connections, WebSockets, requests in flight). */
  gauges: LoadGauges;
  /** The service each load stream sends to, as the scenario says; empty for records without it. */
  streamTargets: ReadonlyMap<string, string>;
  /** When soak held a target still (heap snapshots, forced full GCs). */
  holds: TargetHolds;
  checks: readonly CheckEvent[];
  /** soak workers lost mid-run, with the planned load they did not send. */
  lostWorkers: readonly WorkerLostEvent[];
  /** The most recent intervals of each stream (the last 30 s), for a fault with no interval after it yet. */
  recent: ReadonlyMap<string, readonly RecentInterval[]>;
  /** One line per run file with records that were skipped as malformed, when there were any. */
  skippedRecords?: string[];
}

export interface FactsOptions {
  dir: string;
  meta: RunMeta;
  config: AnalysisConfig;
  /** Services that report when they are ready (targets soak waits for): their event loop is judged from then on. */
  readyServices?: Iterable<string>;
}

/** Intervals kept per stream for the baselines of faults: a little more than the baseline, for intervals that straddle its edge. */
const RECENT_MS = BASELINE_MS + 5000;

export class RunFactsBuilder {
  private readonly spans = new Spans();
  private readonly services = new Map<string, ServiceFacts>();
  private readonly load: LoadFacts;
  private readonly faultLoad: FaultLoad[] = [];
  private readonly gauges = new LoadGauges();
  private readonly holds = new TargetHolds();
  private readonly soakDelays = new SoakDelays();
  private readonly streamTargets: Map<string, string>;
  private readonly recent = new Map<string, RecentInterval[]>();
  private readonly checks: CheckEvent[] = [];
  private readonly lostWorkers: WorkerLostEvent[] = [];
  private readonly readyServices: Set<string>;
  private end: RunEnd | undefined;
  private lastT: number;

  constructor(private readonly options: FactsOptions) {
    this.lastT = options.meta.startedAt;
    this.load = new LoadFacts(options.meta.startedAt, options.meta.plannedMs, options.config, this.spans);
    this.readyServices = new Set(options.readyServices ?? []);
    this.streamTargets = streamTargetsOf(options.meta);
  }

  add(record: RunRecord): void {
    if (record.kind === 'probe') this.probe(record.sample);
    else if (record.kind === 'load') this.interval(record.interval);
    else this.event(record.event);
  }

  private service(name: string): ServiceFacts {
    let service = this.services.get(name);
    if (!service) this.services.set(name, (service = new ServiceFacts(name, this.options.config, this.options.meta.sampleIntervalMs)));
    return service;
  }

  probe(sample: ProbeSample): void {
    this.seen(sample.t);
    const service = this.service(sample.service);
    if (sample.source === 'node') {
      const judged = !this.readyServices.has(sample.service) || service.readyAt !== undefined;
      const held = this.holds.during(sample.t - this.options.meta.sampleIntervalMs, sample.t, new Set([sample.service]), sample.pid);
      service.addNode(sample, judged, this.spans.faults, held, this.spans.planEnd());
    } else if (sample.source === 'os') service.addOs(sample);
    else service.addContainer(sample);
    this.settle(sample.t - SETTLE_MS);
  }

  interval(interval: LoadInterval): void {
    this.seen(interval.t);
    const target = this.streamTargets.get(interval.stream);
    const held = this.holds.during(interval.t - interval.span, interval.t, target === undefined ? undefined : new Set([target]));
    const slots = this.load.add(interval, held !== undefined);
    this.gauges.add(interval);
    this.soakDelays.add(interval);
    this.settle(interval.t - SETTLE_MS);
    const mid = midpoint(interval);
    for (const [index, span] of this.spans.faults.entries()) {
      if (mid < span.start) continue;
      this.faultLoad[index]!.add(interval, slots, this.recent.get(interval.stream) ?? [], this.cutOf(span));
    }
    this.remember(interval, mid);
  }

  /** When the recovery watch of an ended fault stops: the next fault to begin after it. */
  private cutOf(span: FaultSpan): number | undefined {
    if (span.end === null) return undefined;
    const next = this.spans.faults.find((other) => other !== span && other.start >= span.end!);
    return next?.start;
  }

  private remember(interval: LoadInterval, mid: number): void {
    let list = this.recent.get(interval.stream);
    if (!list) this.recent.set(interval.stream, (list = []));
    const faults = this.spans.faults;
    list.push({ interval, mid, inOtherFault: (span) => faults.some((other) => other !== span && mid >= other.start && (other.end === null || mid < other.end)) });
    while (list.length > 0 && list[0]!.mid < mid - RECENT_MS) list.shift();
  }

  event(event: RunEvent): void {
    if (event.type !== 'child-exit') this.seen(event.t);
    switch (event.type) {
      case 'phase-start':
        this.spans.onPhase(event);
        break;
      case 'fault-start':
        this.spans.onFault(event);
        this.faultLoad.push(new FaultLoad(this.spans.faults.at(-1)!));
        break;
      case 'fault-end':
        this.spans.onFault(event);
        break;
      case 'service-start':
        this.service(event.service).starts.push(event);
        break;
      case 'service-ready':
        this.service(event.service).readyAt ??= event.t;
        break;
      case 'service-exit':
        this.service(event.service).addExit(event);
        break;
      case 'child-exit':
        this.service(event.service).addChildExit(event);
        break;
      case 'check':
        this.checks.push(event);
        break;
      case 'target-held':
        this.holds.add(event);
        break;
      case 'worker-lost':
        this.lostWorkers.push(event);
        break;
      case 'run-end':
        this.end = event;
        break;
      default:
        break;
    }
  }

  /** Judges the event-loop stalls of every service up to `until` against soak's own delays (facts/event-loop.ts). */
  private settle(until?: number): void {
    for (const service of this.services.values()) service.stalls.settle(this.soakDelays, until);
  }

  /** The facts once every record is in: stalls still waiting for soak's figures of their moment are judged with what there is. */
  finish(): RunFacts {
    this.settle();
    return this.facts();
  }

  private seen(t: number): void {
    if (t > this.lastT) this.lastT = t;
  }

  /** The facts so far: a view, not a copy, so the live checks can read them as often as they like. */
  facts(): RunFacts {
    return {
      dir: this.options.dir,
      meta: this.options.meta,
      config: this.options.config,
      startT: this.options.meta.startedAt,
      endT: this.end?.t ?? this.lastT,
      end: this.end,
      phases: this.spans.phases,
      faults: this.spans.faults,
      services: this.services,
      load: this.load,
      faultLoad: this.faultLoad,
      gauges: this.gauges,
      streamTargets: this.streamTargets,
      holds: this.holds,
      checks: this.checks,
      lostWorkers: this.lostWorkers,
      recent: this.recent,
    };
  }
}

/** Streams by the service they send to, from the scenario kept in meta.json. */
function streamTargetsOf(meta: RunMeta): Map<string, string> {
  const targets = new Map<string, string>();
  try {
    for (const stream of storedScenario(meta).load) if (stream.target !== undefined) targets.set(stream.name, stream.target);
  } catch {
    // A scenario of another shape names no targets: every stream counts for every service.
  }
  return targets;
}
