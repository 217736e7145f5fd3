/**
 * Reports every pg Pool with no change to the target: each pool as `pg`, `pg#2`, ... from its
 * first connect, with its size from totalCount/idleCount/waitingCount and every acquisition's
 * wait.
 *
 * The hook is Module._load, watching for the pg-pool module (the base class of pg.Pool). It sees
 * both ways a target gets pg: `require('pg')`, and `import pg from 'pg'`, whose ESM wrapper loads
 * pg's CommonJS entry, which requires 'pg-pool' through Module._load too; an ESM import of
 * pg-pool itself arrives as its absolute path. Patching the shared prototype (rather than
 * swapping the export) keeps every copy of the class that Node caches the same object.
 */
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import type { PoolRegistry } from './pools.cjs';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  ending?: boolean;
  options?: { connectionTimeoutMillis?: number };
}

type Connect = (this: PgPool, callback?: (...args: unknown[]) => unknown) => unknown;
type Load = (request: string, ...rest: unknown[]) => unknown;

const patched = Symbol('soak.probe.pg');

function isPgPoolClass(exports: unknown): exports is { prototype: { connect: Connect; [patched]?: true } } {
  if (typeof exports !== 'function') return false;
  const prototype = (exports as { prototype?: unknown }).prototype;
  return typeof prototype === 'object' && prototype !== null && typeof (prototype as { connect?: unknown }).connect === 'function' && 'waitingCount' in prototype;
}

export function instrumentPg(pools: PoolRegistry): void {
  const moduleInternals = Module as unknown as { _load: Load };
  const load = moduleInternals._load;
  const names = new WeakMap<PgPool, string>();
  let created = 0;

  // The pool is held through a WeakRef only, so the probe never keeps a dropped pool alive.
  function nameOf(pool: PgPool): string {
    let name = names.get(pool);
    if (name === undefined) {
      created += 1;
      name = created === 1 ? 'pg' : `pg#${created}`;
      names.set(pool, name);
      const ref = new WeakRef(pool);
      pools.register(name, () => {
        const live = ref.deref();
        if (!live || (live.ending && live.totalCount === 0)) return undefined;
        return { total: live.totalCount, idle: live.idleCount, waiting: live.waitingCount, acquireTimeout: live.options?.connectionTimeoutMillis };
      });
    }
    return name;
  }

  function patch(prototype: { connect: Connect; [patched]?: true }): void {
    const connect = prototype.connect;
    prototype[patched] = true;
    // pool.query() goes through this.connect(callback), so one wrapper sees every acquisition,
    // callback or promise style. Failed acquisitions (timeouts) count too: their wait is the signal.
    prototype.connect = function connectMeasured(this: PgPool, callback) {
      const name = nameOf(this);
      const started = performance.now();
      const done = () => pools.recordAcquire(name, performance.now() - started);
      if (typeof callback === 'function') {
        return connect.call(this, function (this: unknown, ...args: unknown[]) {
          done();
          return callback.apply(this, args);
        });
      }
      const result = connect.call(this) as PromiseLike<unknown> | undefined;
      if (!result || typeof result.then !== 'function') return result;
      // A derived promise that rethrows, so a rejection the target leaves unhandled stays unhandled.
      return result.then(
        (client) => {
          done();
          return client;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      );
    };
  }

  moduleInternals._load = function loadWatchingPg(this: unknown, request, ...rest) {
    const exports = load.call(this, request, ...rest);
    try {
      if (typeof request === 'string' && request.includes('pg-pool') && isPgPoolClass(exports) && !exports.prototype[patched]) patch(exports.prototype);
    } catch {
      // An odd export shape: leave it alone rather than disturb the target's require.
    }
    return exports;
  };
}
