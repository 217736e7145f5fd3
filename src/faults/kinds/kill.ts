import { z } from 'zod';
import { duration, target } from '../fields.js';
import { serviceOf } from '../targets.js';
import type { FaultKind } from '../types.js';

const schema = z
  .object({
    target,
    signal: z.enum(['SIGKILL', 'SIGTERM'], { error: 'expected SIGKILL or SIGTERM' }).default('SIGKILL'),
    /** Start the service again this long after the kill (a crash and a supervisor's restart). */
    restartAfter: duration,
  })
  .strict();

type KillOptions = z.infer<typeof schema>;

/** Kills a service's whole process group; the exit is marked as soak's doing, so it is not reported as a crash. */
export const killFault: FaultKind<KillOptions> = {
  kind: 'kill',
  schema,
  plan: (options) => ({ target: options.target, durationMs: options.restartAfter ?? 0, detail: { signal: options.signal, restartAfter: options.restartAfter } }),
  async check(options, context) {
    serviceOf(context, options.target);
  },
  async begin(options, context) {
    const handle = serviceOf(context, options.target);
    const pid = handle.pid;
    handle.kill(options.signal);
    return {
      detail: { pid },
      async end() {
        // A run cut short stops every service anyway: starting one again would only delay that.
        if (options.restartAfter === undefined || context.signal.aborted) return;
        await handle.restart();
      },
    };
  },
};
