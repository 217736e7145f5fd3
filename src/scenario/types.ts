import type { ScenarioParsed } from './schema.js';

/** One phase of a load stream, validated and with its duration in ms. */
export interface Phase {
  name: string;
  kind: 'ramp' | 'steady' | 'spike' | 'soak';
  durationMs: number;
  /** Open model: arrivals per second, constant or ramped linearly from [0] to [1] over the phase. */
  rate?: number | [number, number];
  /** Closed model: connections each sending one request after another, constant or ramped. */
  connections?: number | [number, number];
}

export interface ServiceConfig {
  name: string;
  /** Where the scenario defines it, as written: `target` or `targets[1]`; errors about it name this. */
  path: string;
  runtime: string;
  /** Validated by the runtime's own schema. */
  options: unknown;
  env: Record<string, string>;
  port: number | 'auto' | false;
  ready: { path?: string; timeoutMs: number };
  probe: boolean;
}

export interface DependencyConfig {
  kind: string;
  name: string;
  runtime: string;
  options: unknown;
}

export interface LoadStreamConfig {
  kind: string;
  name: string;
  target: string;
  phases: Phase[];
  /** Driver threads that send it (in each worker process, when it has them). */
  workers: number;
  /** The engine that places its soak worker processes (src/distributed); undefined: this process's threads send it. */
  engine?: string;
  /** soak worker processes, each sending its share (1 without an engine). */
  processes: number;
  /** Validated by the driver's own schema. */
  options: unknown;
}

export interface FaultConfig {
  kind: string;
  name: string;
  atMs: number;
  options: unknown;
}

/** A check run after the load: an invariant such as "no acknowledged write is missing". */
export interface CheckContext {
  services: Record<string, { url?: string; port?: number }>;
  env: Record<string, string>;
}

export interface CheckResult {
  ok: boolean;
  /** Counts and values shown as the finding's evidence when the check fails. */
  detail?: Record<string, unknown>;
  message?: string;
}

export interface CheckConfig {
  name: string;
  /** The finding kind raised when the check fails (default data-loss). */
  kind: string;
  run(context: CheckContext): Promise<CheckResult>;
}

/** A scenario after validation: every default applied, every duration in ms, every kind's options checked. */
export interface Scenario {
  name: string;
  description?: string;
  file?: string;
  targets: ServiceConfig[];
  dependencies: DependencyConfig[];
  load: LoadStreamConfig[];
  budgets: ScenarioParsed['budgets'];
  analysis: ScenarioParsed['analysis'];
  sampleIntervalMs: number;
  faults: FaultConfig[];
  checks: CheckConfig[];
  allowRemote: boolean;
  /** Planned length: the longest load stream. */
  plannedMs: number;
}
