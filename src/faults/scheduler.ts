import { SoakError } from '../core/errors.js';
import type { FaultConfig } from '../scenario/types.js';
import type { RunEvent } from '../store/records.js';
import { faultKinds } from './registry.js';
import type { FaultContext } from './types.js';

export interface FaultSchedule {
  /** Resolves once every fault has begun and ended; rejects with the first fault that could not begin or end. */
  done: Promise<void>;
  /**
   * Begins one more fault now (asked for while the run is live); resolves once it has begun and is
   * logged, rejects with why it cannot. Its failure to begin does not fail the run.
   */
  add(fault: FaultConfig): Promise<void>;
  /** Ends every active fault (resumes, removes cgroups and toxics) and cancels those not begun yet. */
  stop(): Promise<void>;
}

function faultError(fault: FaultConfig, error: unknown): SoakError {
  const message = `faults "${fault.name}": ${(error as Error).message}`;
  return new SoakError(error instanceof SoakError ? error.code : 'runtime', message, { cause: error });
}

/** Resolves at `at` (epoch ms; Infinity: never) or as soon as `halt` aborts. */
function waitUntil(at: number, halt: AbortSignal): Promise<void> {
  if (halt.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      halt.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(at) ? setTimeout(done, Math.max(0, at - Date.now())) : undefined;
    halt.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs the scenario's faults against the started services: each begins at runStart + at, ends
 * after its duration, and is logged as fault-start / fault-end. Every fault is checked first,
 * so one that cannot work here fails before any of them acts.
 */
export function scheduleFaults(faults: FaultConfig[], context: FaultContext, onEvent: (event: RunEvent) => void, runStart: number): FaultSchedule {
  const stopping = new AbortController();
  const undoFailures: SoakError[] = [];
  const halt = AbortSignal.any([context.signal, stopping.signal]);

  async function check(fault: FaultConfig): Promise<void> {
    try {
      await faultKinds.get(fault.kind).check?.(fault.options, context);
    } catch (error) {
      throw faultError(fault, error);
    }
  }
  const checked = Promise.all(faults.map(check));

  /** Begins the fault and logs it; the returned promise holds it for its duration (or until halted) and undoes it. */
  async function begin(fault: FaultConfig): Promise<{ held: Promise<void> }> {
    const kind = faultKinds.get(fault.kind);
    const plan = kind.plan(fault.options);
    const active = await kind.begin(fault.options, context).catch((error: unknown) => {
      throw faultError(fault, error);
    });
    const startedAt = Date.now();
    const detail = { ...plan.detail, durationMs: plan.durationMs, ...active.detail };
    onEvent({ t: startedAt, type: 'fault-start', fault: fault.name, kind: fault.kind, target: plan.target, detail });
    const held = (async () => {
      await waitUntil(startedAt + (plan.durationMs ?? Infinity), halt);
      onEvent({ t: Date.now(), type: 'fault-end', fault: fault.name, kind: fault.kind, target: plan.target });
      await active.end().catch((error: unknown) => {
        const failure = faultError(fault, new Error(`could not be undone: ${(error as Error).message}`));
        onEvent({ t: Date.now(), type: 'note', message: failure.message });
        undoFailures.push(failure);
        throw failure;
      });
    })();
    return { held };
  }

  async function run(fault: FaultConfig): Promise<void> {
    await checked;
    await waitUntil(runStart + fault.atMs, halt);
    if (halt.aborted) return;
    await (await begin(fault)).held;
  }

  const runs = faults.map(run);
  const done = Promise.all(runs).then(() => undefined);
  // The runner may only look at `done` after the load; a failure must not count as unhandled before that.
  done.catch(() => {});
  /** Faults added while live: an undo failure is stop()'s news, like a scheduled fault's. */
  const added: Promise<void>[] = [];

  return {
    done,
    async add(fault) {
      if (halt.aborted) throw new SoakError('runtime', `faults "${fault.name}": the run is ending`);
      await check(fault);
      const { held } = await begin(fault);
      held.catch(() => {});
      added.push(held);
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled([...runs, ...added]);
      // A fault that could not begin is `done`'s news; one left in place (a paused group, a cgroup) is this one's.
      if (undoFailures.length > 0) throw undoFailures[0];
    },
  };
}
