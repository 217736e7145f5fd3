import { decodeSlots, LATENCY_KEYS, slotScratch, SlotSum, slotValueMs, type LatencyKey, type SlotCounts } from '../../core/hdr.js';
import type { LoadInterval } from '../../store/records.js';
import type { AnalysisConfig } from '../types.js';
import { bucketWidthFor, LoadBuckets } from './buckets.js';
import { countsOf, errorRateOf, failedOf } from './figures.js';
import { GeneratorTally } from './generator.js';
import { inWindow, type Spans } from './spans.js';
import { LoadTally } from './tally.js';

/** Intervals listed in a finding's evidence; the count covers all of them. */
export const MAX_LISTED = 50;

/** One load stream in one phase: its sums, merged latency and buckets over time. */
export interface LoadCell {
  stream: string;
  phase: string;
  driver: string;
  tally: LoadTally;
  buckets: LoadBuckets;
}

/** One endpoint (an http request name) of one stream in one phase. */
export interface EndpointCell {
  endpoint: string;
  stream: string;
  phase: string;
  tally: LoadTally;
}

export interface IntervalRef {
  t: number;
  stream: string;
  phase: string;
  sent: number;
  errors: number;
  timeouts: number;
  rate: number;
}

export interface LatencyBreach {
  t: number;
  stream: string;
  valueMs: number;
  requests: number;
}

/**
 * What the error-rate and latency-budget findings say of single intervals in the scenario's window:
 * the worst interval, how many were over the budget, the first of them. Judged as the intervals
 * arrive, on the thresholds of the analysis config.
 */
export class IntervalChecks {
  intervals = 0;
  worst: IntervalRef | undefined;
  overBudget = 0;
  firstOverBudgetAt: number | undefined;
  readonly breaches = new Map<LatencyKey, { count: number; listed: LatencyBreach[] }>();

  constructor(private readonly config: AnalysisConfig) {
    for (const key of LATENCY_KEYS) if (config.latency[key] !== undefined) this.breaches.set(key, { count: 0, listed: [] });
  }

  add(interval: LoadInterval, slots: SlotCounts | undefined): void {
    this.intervals += 1;
    const counts = countsOf(interval);
    const rate = errorRateOf(counts) ?? 0;
    const failed = failedOf(counts);
    if (!this.worst || rate > this.worst.rate || (rate === this.worst.rate && failed > failedOf(this.worst))) {
      this.worst = { t: interval.t, stream: interval.stream, phase: interval.phase, sent: interval.sent, errors: interval.errors, timeouts: interval.timeouts, rate };
    }
    if (rate > this.config.errorRate) {
      this.overBudget += 1;
      this.firstOverBudgetAt ??= interval.t;
    }
    if (!slots || slots.total === 0) return;
    for (const [key, breaches] of this.breaches) {
      const value = slotValueMs(slots, key);
      if (value <= this.config.latency[key]!) continue;
      breaches.count += 1;
      if (breaches.listed.length < MAX_LISTED) breaches.listed.push({ t: interval.t, stream: interval.stream, valueMs: value, requests: slots.total });
    }
  }
}

/** The load of a run: cells by stream and phase, endpoint cells, and the checks of single intervals. */
export class LoadFacts {
  readonly cells = new Map<string, LoadCell>();
  readonly endpointCells = new Map<string, EndpointCell>();
  readonly checks: IntervalChecks;
  /** Streams in the order first seen, with their driver. */
  readonly streams = new Map<string, string>();
  /** What each stream's driver threads recorded of themselves. */
  readonly generators = new Map<string, GeneratorTally>();
  /** The first interval's length: the recording interval. */
  intervalMs: number | undefined;
  /** Requests completed and WebSocket connections opened over the whole run: whether anything got through. */
  gotThrough = 0;
  private readonly width: number;
  /** Decoded intervals live here until the next one: nothing is allocated per interval. */
  private readonly streamSlots = slotScratch();
  private readonly endpointSlots = slotScratch();
  private readonly merged = new SlotSum();
  /** The same cells by stream, then phase, then endpoint: looked up by the records' own strings, with no key built per interval. */
  private readonly index = new Map<string, Map<string, { cell: LoadCell; endpoints: Map<string, EndpointCell> }>>();

  constructor(
    private readonly startT: number,
    plannedMs: number,
    private readonly config: AnalysisConfig,
    private readonly spans: Spans,
  ) {
    this.width = bucketWidthFor(plannedMs, 1000);
    this.checks = new IntervalChecks(config);
  }

  /** Decodes the interval's histograms once and adds them wherever they count; returns the stream's slots, valid until the next interval. */
  add(interval: LoadInterval): SlotCounts | undefined {
    this.intervalMs ??= interval.span;
    this.gotThrough += interval.completed + (interval.ws?.opened ?? 0);
    if (!this.streams.has(interval.stream)) {
      this.streams.set(interval.stream, interval.driver);
      this.generators.set(interval.stream, new GeneratorTally());
    }
    this.generators.get(interval.stream)!.add(interval);
    const entry = this.entry(interval);
    const slots = this.addEndpoints(interval, entry.endpoints) ?? decodeSlots(interval.hdr, this.streamSlots);
    entry.cell.tally.add(interval, slots);
    entry.cell.buckets.add(interval, slots);
    if (inWindow(this.config.window, interval.phase, this.spans.kindOf(interval.stream, interval.phase))) this.checks.add(interval, slots);
    return slots;
  }

  private entry(interval: LoadInterval): { cell: LoadCell; endpoints: Map<string, EndpointCell> } {
    let phases = this.index.get(interval.stream);
    if (!phases) this.index.set(interval.stream, (phases = new Map()));
    let entry = phases.get(interval.phase);
    if (!entry) {
      const cell: LoadCell = { stream: interval.stream, phase: interval.phase, driver: interval.driver, tally: new LoadTally(), buckets: new LoadBuckets(this.startT, this.width) };
      this.cells.set(`${interval.stream}\u0000${interval.phase}`, cell);
      phases.set(interval.phase, (entry = { cell, endpoints: new Map() }));
    }
    return entry;
  }

  /**
   * The endpoint shares of an interval, each into its cell. Every answered request of such a stream is
   * recorded in its endpoint's histogram too, so when the shares' counts add up to the stream's, the
   * stream's histogram is their sum and is not decoded a third time; returns it then.
   */
  private addEndpoints(interval: LoadInterval, cells: Map<string, EndpointCell>): SlotCounts | undefined {
    const shares = interval.endpoints;
    if (!shares) return undefined;
    let answered = 0;
    this.merged.clear();
    for (const endpoint in shares) {
      const share = shares[endpoint]!;
      let cell = cells.get(endpoint);
      if (!cell) {
        cell = { endpoint, stream: interval.stream, phase: interval.phase, tally: new LoadTally() };
        cells.set(endpoint, cell);
        this.endpointCells.set(`${endpoint}\u0000${interval.stream}\u0000${interval.phase}`, cell);
      }
      const slots = decodeSlots(share.hdr, this.endpointSlots);
      cell.tally.addShare(share, interval, slots);
      this.merged.add(slots);
      answered += share.latency.count;
    }
    return answered === interval.latency.count ? this.merged.into(this.streamSlots) : undefined;
  }
}
