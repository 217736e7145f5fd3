import type { LoadDriver } from '../types.js';
import { maxConnections } from './phases.js';
import { runWs } from './run.js';
import { wsOptionsSchema, type WsOptions } from './schema.js';

/** What one driver thread is given by default: idle connections are cheap, messages are not. */
const perThread = { connections: 10_000, messagesPerSecond: 20_000 };

/** WebSocket load (see run.ts). */
export const wsDriver: LoadDriver<WsOptions> = {
  kind: 'ws',
  schema: wsOptionsSchema,
  run: runWs,
  thread: new URL('./thread.js', import.meta.url),
  sockets: (_options, phases) => maxConnections(phases),
  demand: (options, phases) => {
    const connections = maxConnections(phases);
    return Math.max(connections / perThread.connections, (connections * options.messageRate) / perThread.messagesPerSecond);
  },
};
