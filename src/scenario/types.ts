import type { Phase } from '../load/types.js';
import type { ScenarioParsed } from './schema.js';

export interface ServiceConfig {
  name: string;
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
