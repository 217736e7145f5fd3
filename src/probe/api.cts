/**
 * What a target may call to report its own pools: `require('soak-harness/probe')` or
 * `import { registerPool } from 'soak-harness/probe'`. Every call is a no-op unless soak's preload runs in
 * the process, so a service can call these unconditionally, in production too.
 *
 * The preload (preload.cts) publishes its hooks on a global symbol rather than being imported:
 * the target may resolve a different copy of soak than the one that injected the preload.
 */

export interface PoolStats {
  /** Connections (or resources) the pool holds now, busy or idle. */
  total: number;
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
  /** The pool's own acquire timeout, ms, when it has one. */
  acquireTimeout?: number;
}

export interface ProbeHooks {
  registerPool(name: string, stats: () => PoolStats): void;
  recordAcquire(name: string, waitMs: number): void;
}

export const probeHooksKey = Symbol.for('soak.probe');

function hooks(): ProbeHooks | undefined {
  return (globalThis as { [probeHooksKey]?: ProbeHooks })[probeHooksKey];
}

/** Reports the pool's size every sample interval; `stats` is called once per interval. Registering a name again replaces it. */
export function registerPool(name: string, stats: () => PoolStats): void {
  hooks()?.registerPool(name, stats);
}

/** Reports one completed acquisition of a registered pool and how long it waited, ms. */
export function recordAcquire(name: string, waitMs: number): void {
  hooks()?.recordAcquire(name, waitMs);
}
