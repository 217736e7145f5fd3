import { build, type Histogram } from 'hdr-histogram-js';
import { configFromScenario, decodeHdr, formatBudgetValue, latencyKeys, valueMs, type AnalysisConfig } from '../analyze/index.js';
import type { Phase } from '../load/types.js';
import type { Scenario } from '../scenario/types.js';
import type { LoadInterval, NodeProbeSample } from '../store/records.js';

/**
 * abortOnFail: the load and pool budgets judged while the run goes, on what its window has seen so
 * far, so a run that has already failed stops instead of running on for hours. A percentile or a rate
 * is judged only once its window holds MIN_REQUESTS requests over MIN_WINDOW_MS, so one slow first
 * second does not end a run; a pool's waiters are a maximum, judged on every sample.
 * Memory stays constant: one merged histogram and two counters per scope.
 */
const MIN_REQUESTS = 100;
const MIN_WINDOW_MS = 10_000;

interface Scope {
  label: string;
  stream?: string;
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
  private broken: string | undefined;

  /** `onBreach` is called once, with one line naming the budget, its figure and its limit. */
  constructor(
    scenario: Scenario,
    private readonly onBreach: (message: string) => void,
  ) {
    this.config = configFromScenario(scenario.budgets, scenario.analysis);
    for (const stream of scenario.load) for (const phase of stream.phases) this.kinds.set(`${stream.name}\u0000${phase.name}`, phase.kind);
    const scope = (label: string, fields: Pick<Scope, 'latency' | 'errorRate' | 'window' | 'stream'>): Scope => ({ label, ...fields, histogram: build(), sent: 0, failed: 0, spanMs: 0 });
    this.scopes.push(scope('all streams', { latency: this.config.latency, errorRate: this.config.errorRate, window: this.config.window }));
    for (const [stream, budgets] of Object.entries(this.config.streams ?? {})) {
      this.scopes.push(scope(`stream ${stream}`, { stream, latency: budgets.latency, errorRate: budgets.errorRate, window: budgets.window ?? this.config.window }));
    }
  }

  onPhase(stream: string, phase: Phase): void {
    this.currentPhase.set(stream, phase);
  }

  onLoad(interval: LoadInterval): void {
    if (this.broken) return;
    const kind = this.kinds.get(`${interval.stream}\u0000${interval.phase}`);
    const histogram = decodeHdr(interval.hdr);
    try {
      for (const scope of this.scopes) {
        if ((scope.stream !== undefined && scope.stream !== interval.stream) || !inWindow(scope.window, interval.phase, kind)) continue;
        if (histogram) scope.histogram.add(histogram);
        scope.sent += interval.sent;
        scope.failed += interval.errors + interval.timeouts;
        scope.spanMs += interval.span;
        this.judge(scope);
      }
    } finally {
      histogram?.destroy();
    }
  }

  onProbe(sample: NodeProbeSample): void {
    const limit = this.config.poolWaiting;
    if (this.broken || limit === undefined || !this.probeInWindow()) return;
    for (const [pool, reading] of Object.entries(sample.pools ?? {})) {
      if (reading.waiting > limit) return this.breach(`poolWaiting of pool ${pool} of ${sample.service}: ${reading.waiting} callers waiting, budget ${formatBudgetValue(limit, 'waiting')}`);
    }
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
