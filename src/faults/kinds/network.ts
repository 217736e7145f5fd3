import type { z } from 'zod';
import type { DirectionChoice, ToxicSpec } from '../proxy/index.js';
import { proxyOf } from '../targets.js';
import type { FaultKind } from '../types.js';

export interface NetworkOptions {
  target: string;
  duration?: number;
  toxicity: number;
  direction?: DirectionChoice;
}

/** A network fault: one toxic on the fault proxy in front of the target dependency, removed at the end. */
export function networkFault<Options extends NetworkOptions>(kind: string, schema: z.ZodType<Options>, toxic: (options: Options) => ToxicSpec): FaultKind<Options> {
  return {
    kind,
    schema,
    network: true,
    plan: ({ target, duration, ...detail }) => ({ target, durationMs: duration, detail }),
    async check(options, context) {
      proxyOf(context, options.target);
    },
    async begin(options, context) {
      const proxy = proxyOf(context, options.target);
      const id = proxy.addToxic({ ...toxic(options), toxicity: options.toxicity, direction: options.direction });
      return { detail: { toxic: id, proxyPort: proxy.port }, end: async () => proxy.removeToxic(id) };
    },
  };
}
