import type { z } from 'zod';
import type { ServiceHandle } from '../runtime/types.js';

/** What a fault can act on: the run's services by name and the proxies in front of dependencies. */
export interface FaultContext {
  services: Map<string, ServiceHandle>;
  /** Fault proxy in front of a dependency, by dependency name (network faults act here). */
  proxies: Map<string, unknown>;
  signal: AbortSignal;
}

/** A started fault; `end` undoes it (resume, unpause, remove the toxic...). */
export interface ActiveFault {
  end(): Promise<void>;
}

export interface FaultKind<Options = unknown> {
  kind: string;
  schema: z.ZodType<Options>;
  begin(options: Options, context: FaultContext): Promise<ActiveFault>;
}
