import { httpOptionsSchema, type HttpOptions } from './http-options.js';
import { runHttp } from './http-run.js';
import { peakConnections, peakRate } from './phases.js';
import type { LoadDriver } from './types.js';

/** What one driver thread is given by default: well below the ~45k req/s at which one saturates here. */
const perThread = { rate: 20_000, connections: 25 };

/** HTTP load, open and closed model (see http-run.ts). */
export const httpDriver: LoadDriver<HttpOptions> = {
  kind: 'http',
  schema: httpOptionsSchema,
  run: runHttp,
  thread: new URL('./http-thread.js', import.meta.url),
  sockets: (options, phases) => (phases.some((phase) => phase.rate !== undefined) ? options.maxInflight : 0) + peakConnections(phases),
  demand: (_options, phases) => Math.max(peakRate(phases) / perThread.rate, peakConnections(phases) / perThread.connections),
};
