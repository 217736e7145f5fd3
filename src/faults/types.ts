import type { z } from 'zod';
import type { ServiceHandle } from '../runtime/types.js';
import type { FaultProxy } from './proxy/index.js';

/** What a fault can act on: the run's services by name and the proxies in front of dependencies. */
export interface FaultContext {
  services: Map<string, ServiceHandle>;
  /** Fault proxy in front of a dependency, by dependency name (network faults act here). */
  proxies: Map<string, FaultProxy>;
  /** Aborted when the run is cut short (Ctrl-C, abortOnFail): faults undo themselves without restarting anything. */
  signal: AbortSignal;
  /** Tags what a fault creates on the host (cgroup names) so leftovers can be told apart. */
  runId: string;
}

/** A started fault; `end` undoes it (resume, unpause, remove the toxic...). */
export interface ActiveFault {
  end(): Promise<void>;
  /** What was done, for the fault-start event: the killed pid, the cgroup, the toxic id. */
  detail?: Record<string, unknown>;
}

/** What a fault acts on and for how long, read from its options without acting. */
export interface FaultPlan {
  /** A service name, or a dependency name for network faults. */
  target: string;
  /** How long until `end` (undefined: until the run ends; 0: ends as soon as it began). */
  durationMs?: number;
  /** The options worth showing in the fault-start event. */
  detail: Record<string, unknown>;
}

export interface FaultKind<Options = unknown> {
  kind: string;
  schema: z.ZodType<Options>;
  plan(options: Options): FaultPlan;
  /** Network faults act on a dependency's fault proxy; the runner puts one in front of every such target. */
  network?: boolean;
  /** Throws a SoakError, before any fault begins, when this one cannot work here (unknown target, no cgroups). */
  check?(options: Options, context: FaultContext): Promise<void>;
  begin(options: Options, context: FaultContext): Promise<ActiveFault>;
}
