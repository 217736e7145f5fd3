import { z } from 'zod';
import { duration, target } from '../fields.js';
import { serviceOf } from '../targets.js';
import type { FaultKind } from '../types.js';

const schema = z.object({ target, duration }).strict();

/** Freezes every process of a service (SIGSTOP to the group) and thaws it at the end: a long GC pause, a stuck host. */
export const pauseFault: FaultKind<z.infer<typeof schema>> = {
  kind: 'pause',
  schema,
  plan: (options) => ({ target: options.target, durationMs: options.duration, detail: {} }),
  async check(options, context) {
    serviceOf(context, options.target);
  },
  async begin(options, context) {
    const handle = serviceOf(context, options.target);
    await handle.pause();
    return { detail: { pid: handle.pid }, end: () => handle.resume() };
  },
};
