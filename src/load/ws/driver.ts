import type { LoadDriver } from '../types.js';
import { assertFileLimit } from './limits.js';
import { assertConnectionPhases, maxConnections, phaseAt } from './phases.js';
import { ClientPool } from './pool.js';
import { WsRecorder } from './recorder.js';
import { wsOptionsSchema, type WsOptions } from './schema.js';
import { messageTemplate } from './template.js';

/** How often the pool follows the phase's connection count. */
const TICK_MS = 20;
/** At the end, how long connections get to finish their close handshake. */
const CLOSE_GRACE_MS = 1000;

function wsUrl(baseUrl: string, path: string): string {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * WebSocket load: holds the phases' `connections` open (opened at most connectRate per second),
 * sends messageRate messages per second on each, times replies, and with churn reconnects after
 * every few messages. One LoadInterval per interval, with the connection counts under `ws`.
 */
export const wsDriver: LoadDriver<WsOptions> = {
  kind: 'ws',
  schema: wsOptionsSchema,
  async run(options, context) {
    assertConnectionPhases(context.phases, context.stream);
    assertFileLimit(maxConnections(context.phases), context.stream);
    const recorder = new WsRecorder(context.stream, options.expectReply === undefined);
    const pool = new ClientPool({ url: wsUrl(context.baseUrl, options.path), options, render: messageTemplate(options), recorder });
    const startedAt = performance.now();
    let phaseIndex = -1;
    let phaseName = context.phases[0]!.name;

    return new Promise<void>((resolve) => {
      let finished = false;
      const finish = async () => {
        if (finished) return;
        finished = true;
        clearInterval(ticker);
        clearInterval(flusher);
        context.signal.removeEventListener('abort', finish);
        if (context.signal.aborted) pool.terminate();
        else await pool.close(CLOSE_GRACE_MS);
        context.onInterval(recorder.flush(phaseName, pool.state()));
        recorder.destroy();
        resolve();
      };
      const step = () => {
        const position = phaseAt(context.phases, performance.now() - startedAt);
        if (!position || context.signal.aborted) return void finish();
        if (position.index !== phaseIndex) {
          phaseIndex = position.index;
          phaseName = position.phase.name;
          context.onPhase(position.phase, position.index);
        }
        pool.target = position.connections;
        pool.tick();
      };
      const ticker = setInterval(step, TICK_MS);
      const flusher = setInterval(() => {
        pool.sweep();
        context.onInterval(recorder.flush(phaseName, pool.state()));
      }, context.intervalMs);
      context.signal.addEventListener('abort', finish, { once: true });
      step();
    });
  },
};
