import type { z } from 'zod';
import type { Resources } from '../core/cleanup.js';
import type { ContainerSample } from '../store/records.js';

/** How a service ended: what the `target-crash` and `crash-loop` detectors read. */
export interface ServiceExit {
  code: number | null;
  signal: string | null;
  /** True when soak itself stopped or killed it (end of run, or a kill fault). */
  expected: boolean;
  stderrTail: string[];
}

/** A started service (target or dependency), whatever runs it: a local process group or a container. */
export interface ServiceHandle {
  name: string;
  /** Root process id on this host (the process group leader for local services). */
  pid: number;
  /** The loopback port it listens on, when it has one. */
  port?: number;
  /** http://127.0.0.1:port for HTTP services. */
  url?: string;
  /** Resolves when the current incarnation exits for any reason (a restart makes a new one). */
  exited: Promise<ServiceExit>;
  /** Called on every exit, across restarts. */
  onExit(listener: (exit: ServiceExit) => void): void;
  /** Graceful stop (SIGTERM, then SIGKILL after the grace period); resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal to the whole service (process group or container). */
  signal(signal: NodeJS.Signals): void;
  /** Sends a signal meant to end it, so the exit that follows is soak's doing, not a crash. */
  kill(signal: NodeJS.Signals): void;
  /** Freezes / thaws the whole service; every process of it, not only the leader. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Starts it again after it exited; re-reads pid and port. */
  restart(): Promise<void>;
  /** Caps CPU and/or memory by the runtime's own means (a container: `docker update`); resolves to what lifts the caps again. */
  limit?(limits: ResourceLimits): Promise<AppliedLimits>;
  /** The runtime's own view of the service's CPU and memory (a container engine's stats), sampled beside the probe's. */
  resourceSample?(): Promise<Omit<ContainerSample, 'service'> | undefined>;
}

/** Caps put on a whole service for a while (the starve fault). */
export interface ResourceLimits {
  /** Cores, e.g. 0.2 for a fifth of one. */
  cpu?: number;
  /** Bytes of memory, swap included. */
  memory?: number;
}

export interface AppliedLimits {
  /** What was set, for the fault-start event. */
  detail: Record<string, unknown>;
  undo(): Promise<void>;
}

/** What a runtime needs to start one service. */
export interface ServiceStart {
  name: string;
  /** Options validated by the runtime's own schema (cmd for local, image for docker...). */
  options: unknown;
  env: Record<string, string>;
  /** Loopback port to pass as PORT, already chosen free by the runner (undefined: the service has none). */
  port?: number;
  /** Where the service's stdout and stderr are appended. */
  stdoutFile: string;
  stderrFile: string;
  /** Owner of every process/container this start creates. */
  resources: Resources;
  /** Tag put on everything started (env SOAK_RUN_ID, container label) so leftovers can be found and removed. */
  runId: string;
  /** The user allowed non-loopback addresses (--allow-remote). */
  allowRemote: boolean;
  /** Directories of this service alone (a database's data): if soak dies, what guards the service removes them once it is gone. */
  scratchDirs?: string[];
}

export interface Runtime<Options = unknown> {
  kind: string;
  /** The service is not started by soak (it already runs): no port is chosen for it, no probe injected. */
  external?: boolean;
  schema: z.ZodType<Options>;
  start(request: ServiceStart & { options: Options }): Promise<ServiceHandle>;
}

/** A dependency a scenario declares (postgres, redis): started before the targets, removed after. */
export interface DependencyInstance {
  name: string;
  kind: string;
  handle: ServiceHandle;
  /** Env vars handed to every target, e.g. DATABASE_URL, REDIS_URL. */
  env: Record<string, string>;
  /** The same env vars pointing at another loopback port: how a fault proxy is put in between. */
  envFor(port: number): Record<string, string>;
  /** Host and port the target should use: a fault proxy may be put in between (see src/faults). */
  host: string;
  port: number;
}

export interface DependencyKind<Options = unknown> {
  kind: string;
  schema: z.ZodType<Options>;
  start(request: { name: string; options: Options; resources: Resources; runId: string; workDir: string }): Promise<DependencyInstance>;
}
