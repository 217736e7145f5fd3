import type { RunFacts } from './facts/builder.js';

export type FindingKind =
  | 'memory-leak'
  | 'handle-leak'
  | 'event-loop-blocked'
  | 'gc-pause'
  | 'host-contention'
  | 'target-crash'
  | 'error-rate'
  | 'latency-budget'
  | 'pool-exhaustion'
  | 'crash-loop'
  | 'slow-recovery'
  | 'data-loss'
  | 'regression'
  | 'throughput-budget'
  | 'pool-waiting'
  | 'budget-abort'
  | (string & {});

/** fail makes the verdict fail; warn and info are reported only. */
export type Severity = 'fail' | 'warn' | 'info';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  title: string;
  service?: string;
  /** When the problem was first visible, epoch ms (time to first detection is measured from run start). */
  at?: number;
  /**
   * Every number behind the finding, so a human can check it: slope, confidence, window, values.
   * `summary` says it in words for the report.
   */
  evidence: { summary: string } & Record<string, unknown>;
}

/** Thresholds a detector may read; filled from the scenario's budgets and analysis settings, with defaults. */
export interface AnalysisConfig {
  /** Samples before startT + warmupMs are ignored by trend detectors. */
  warmupMs: number;
  /** Mann-Kendall significance level for trend detectors. */
  alpha: number;
  /** Below this growth rate a significant trend is not worth a finding, MB/hour. */
  minLeakMBPerHour: number;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
  /** Longest acceptable GC stall, ms: over it a gc-pause fails (as it does over an eventLoopMax the scenario set). */
  gcPauseMs?: number;
  errorRate: number;
  latency: Partial<Record<'p50' | 'p90' | 'p99' | 'max', number>>;
  heapGrowthMBPerHour?: number;
  /** Longest acceptable time from the end of a fault until throughput and p99 are back near their pre-fault level, ms (default 10 s). */
  recoveryMs?: number;
  /** Phase names or kinds the load and pool budgets are judged over; every phase when absent. */
  window?: string[];
  /** Least successful (non-5xx) responses per second over the window, all streams together. */
  minThroughput?: number;
  /** Most callers that may wait for a pool connection at once. */
  poolWaiting?: number;
  /** Load budgets of single streams, by stream name. */
  streams?: Record<string, StreamBudgets>;
  /** Latency and error budgets of single endpoints, by endpoint name. */
  endpoints?: Record<string, EndpointBudgets>;
}

/** One stream's own load budgets (latency ms, error share, successful responses per second) and their window. */
export interface StreamBudgets {
  latency: Partial<Record<'p50' | 'p90' | 'p99' | 'max', number>>;
  errorRate?: number;
  minThroughput?: number;
  window?: string[];
}

/** One endpoint's latency and error budgets and their window. */
export type EndpointBudgets = Omit<StreamBudgets, 'minThroughput'>;

/** A pure function of a run's facts (and the config they were judged with): the same facts give the same findings. */
export interface Detector {
  name: string;
  detect(facts: RunFacts): Finding[];
}
