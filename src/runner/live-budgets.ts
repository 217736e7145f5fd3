import { build, type Histogram } from 'hdr-histogram-js';
import { busyMsOf, busyThrough, configFromScenario, decodeHdr, eventLoopStartupGraceMs, formatBudgetValue, latencyKeys, valueMs, type AnalysisConfig } from '../analyze/index.js';
import type { Phase } from '../load/types.js';
import type { Scenario } from '../scenario/types.js';
import type { LoadInterval, NodeProbeSample } from '../store/records.js';

/**
 * abortOnFail: the latency, error, pool and event-loop budgets judged while the run goes, on what
 * their window has seen so far, so a run that has already failed stops instead of running on for
 * hours. A percentile or a rate is judged only once its window holds MIN_REQUESTS requests over
 * MIN_WINDOW_MS, so one slow first second does not end a run; a pool's waiters and an event-loop
 * delay are judged on every sample, by the rules the end-of-run checks apply to them.
 * Memory stays constant: one merged histogram and two counters per scope, one sample per process.
 */
const MIN_REQUESTS = 100;
const MIN_WINDOW_MS = 10_000;

interface Scope {
  label: string;
  stream?: string;
  endpoint?: string;
  window?: string[];
  latency: AnalysisConfig['latency'];
  errorRate?: number;
  histogram: Histogram;
  sent: number;
  failed: number;
  spanMs: number;
}

const inWindow = (window: string[] | undefined, phase: string, kind: string | undefined) => !window || window.includes(phase) || (kind !== undefined && window.includes(kind));

export class LiveBudgets {
  private readonly scopes: Scope[] = [];
  private readonly kinds = new Map<string, string>();
  private readonly currentPhase = new Map<string, Phase>();
  private readonly config: AnalysisConfig;
  /** The event-loop budgets the scenario sets (the defaults alone do not stop a run). */
  private readonly eventLoop: { maxMs?: number; p99Ms?: number };
  private readonly sampleIntervalMs: number;
  /** Each probed process's first sample and its last one with that interval's busy time. */
  private readonly processes = new Map<number, { firstT: number; last: NodeProbeSample; lastBusyMs: number; measured: boolean }>();
  private broken: string | undefined;

  /** `onBreach` is called once, with one line naming the budget, its figure and its limit. */
  constructor(
    scenario: Scenario,
    private readonly onBreach: (message: string) => void,
  ) {
    this.config = configFromScenario(scenario.budgets, scenario.analysis);
    this.eventLoop = {
      ...(scenario.budgets.eventLoopMax !== undefined ? { maxMs: scenario.budgets.eventLoopMax } : {}),
      ...(scenario.budgets.eventLoopP99 !== undefined ? { p99Ms: scenario.budgets.eventLoopP99 } : {}),
    };
    this.sampleIntervalMs = scenario.sampleIntervalMs;
    for (const stream of scenario.load) for (const phase of stream.phases) this.kinds.set(`${stream.name}\u0000${phase.name}`, phase.kind);
    const scope = (label: string, fields: Pick<Scope, 'latency' | 'errorRate' | 'window' | 'stream' | 'endpoint'>): Scope => ({ label, ...fields, histogram: build(), sent: 0, failed: 0, spanMs: 0 });
    this.scopes.push(scope('all streams', { latency: this.config.latency, errorRate: this.config.errorRate, window: this.config.window }));
    for (const [stream, budgets] of Object.entries(this.config.streams ?? {})) {
      this.scopes.push(scope(`stream ${stream}`, { stream, latency: budgets.latency, errorRate: budgets.errorRate, window: budgets.window ?? this.config.window }));
    }
    for (const [endpoint, budgets] of Object.entries(this.config.endpoints ?? {})) {
      this.scopes.push(scope(`endpoint ${endpoint}`, { endpoint, latency: budgets.latency, errorRate: budgets.errorRate, window: budgets.window ?? this.config.window }));
    }
  }

  onPhase(stream: string, phase: Phase): void {
    this.currentPhase.set(stream, phase);
  }

  onLoad(interval: LoadInterval): void {
    if (this.broken) return;
    const kind = this.kinds.get(`${interval.stream}\u0000${interval.phase}`);
    const decoded = new Map<string, Histogram | undefined>();
    const histogramOf = (hdr: string) => {
      if (!decoded.has(hdr)) decoded.set(hdr, decodeHdr(hdr));
      return decoded.get(hdr);
    };
    try {
      for (const scope of this.scopes) {
        if ((scope.stream !== undefined && scope.stream !== interval.stream) || !inWindow(scope.window, interval.phase, kind)) continue;
        // An endpoint's scope counts only its own share of the interval, in whichever stream sends it.
        const counts = scope.endpoint === undefined ? interval : interval.endpoints?.[scope.endpoint];
        if (!counts) continue;
        const histogram = histogramOf(counts.hdr);
        if (histogram) scope.histogram.add(histogram);
        scope.sent += counts.sent;
        scope.failed += counts.errors + counts.timeouts;
        scope.spanMs += interval.span;
        this.judge(scope);
        if (this.broken) return;
      }
    } finally {
      for (const histogram of decoded.values()) histogram?.destroy();
    }
  }

  onProbe(sample: NodeProbeSample): void {
    if (this.broken) return;
    this.judgeEventLoop(sample);
    const limit = this.config.poolWaiting;
    if (this.broken || limit === undefined || !this.probeInWindow()) return;
    for (const [pool, reading] of Object.entries(sample.pools ?? {})) {
      if (reading.waiting > limit) return this.breach(`poolWaiting of pool ${pool} of ${sample.service}: ${reading.waiting} callers waiting, budget ${formatBudgetValue(limit, 'waiting')}`);
    }
  }

  /**
   * As the event-loop-blocked finding judges it: once the load has started (every target is ready by
   * then), past each process's startup, and only a stall the process was busy through.
   */
  private judgeEventLoop(sample: NodeProbeSample): void {
    const { maxMs, p99Ms } = this.eventLoop;
    if (maxMs === undefined && p99Ms === undefined) return;
    const seen = this.processes.get(sample.pid);
    const busyMs = busyMsOf(sample, seen?.last, this.sampleIntervalMs);
    const measured = (seen?.measured ?? false) || sample.eventLoop.utilization > 0;
    this.processes.set(sample.pid, { firstT: seen?.firstT ?? sample.t, last: sample, lastBusyMs: busyMs, measured });
    if (!seen || sample.t < seen.firstT + eventLoopStartupGraceMs || this.currentPhase.size === 0) return;
    const { max, p99 } = sample.eventLoop;
    const over =
      maxMs !== undefined && max >= maxMs
        ? { budget: 'eventLoopMax', value: max, limit: maxMs }
        : p99Ms !== undefined && p99 >= p99Ms
          ? { budget: 'eventLoopP99', value: p99, limit: p99Ms }
          : undefined;
    if (!over || !busyThrough({ sample, ...(measured ? { busyMs: busyMs + seen.lastBusyMs } : {}) })) return;
    this.breach(`${over.budget} of ${sample.service}: ${formatBudgetValue(over.value, 'ms')} in one interval (pid ${sample.pid}), budget ${formatBudgetValue(over.limit, 'ms')}`);
  }

  /** Samples carry no phase: they count while any stream is in a window phase. */
  private probeInWindow(): boolean {
    const window = this.config.window;
    if (!window) return true;
    return [...this.currentPhase.entries()].some(([, phase]) => inWindow(window, phase.name, phase.kind));
  }

  private judge(scope: Scope): void {
    // The maximum only grows: once over its budget it stays over, so it needs no minimum of evidence.
    const max = scope.latency.max;
    if (max !== undefined && scope.histogram.totalCount > 0 && valueMs(scope.histogram, 'max') > max) {
      return this.breach(`max latency of ${scope.label}: ${formatBudgetValue(valueMs(scope.histogram, 'max'), 'ms')}, budget ${formatBudgetValue(max, 'ms')}`);
    }
    if (scope.sent < MIN_REQUESTS || scope.spanMs < MIN_WINDOW_MS) return;
    for (const key of latencyKeys) {
      const budget = scope.latency[key];
      if (budget === undefined || key === 'max' || scope.histogram.totalCount === 0) continue;
      const value = valueMs(scope.histogram, key);
      if (value > budget) return this.breach(`${key} latency of ${scope.label}: ${formatBudgetValue(value, 'ms')} over ${scope.histogram.totalCount} requests so far, budget ${formatBudgetValue(budget, 'ms')}`);
    }
    if (scope.errorRate !== undefined && scope.failed / scope.sent > scope.errorRate) {
      this.breach(`error rate of ${scope.label}: ${formatBudgetValue(scope.failed / scope.sent, 'share')} of ${scope.sent} requests so far, budget ${formatBudgetValue(scope.errorRate, 'share')}`);
    }
  }

  private breach(message: string): void {
    if (this.broken) return;
    this.broken = `budget broken, run stopped early (abortOnFail): ${message}`;
    this.onBreach(this.broken);
  }

  close(): void {
    for (const scope of this.scopes) scope.histogram.destroy();
  }
}
