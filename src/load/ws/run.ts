import { timerClock } from '../clock.js';
import { shareOf, wholeStream } from '../share.js';
import type { LoadContext } from '../types.js';
import { assertFileLimit } from './limits.js';
import { assertConnectionPhases, maxConnections, phaseAt } from './phases.js';
import { ClientPool } from './pool.js';
import { WsRecorder } from './recorder.js';
import type { WsOptions } from './schema.js';
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
 * every few messages. One LoadInterval per interval, with the connection counts under `ws`. With a
 * share (several driver threads), this driver holds its share of the connections.
 */
export async function runWs(options: WsOptions, context: LoadContext): Promise<void> {
  assertConnectionPhases(context.phases, context.stream);
  const share = context.share ?? wholeStream;
  // This driver's own connections; the host gives several threads a process only when all of theirs fit it.
  assertFileLimit(shareOf(maxConnections(context.phases), share), context.stream);
  const recorder = new WsRecorder(context.stream, options.expectReply === undefined);
  // A thread's share of the connections opens at its share of the rate, so all threads together open at connectRate.
  const threadOptions = { ...options, connectRate: options.connectRate / share.count };
  const pool = new ClientPool({ url: wsUrl(context.baseUrl, options.path), options: threadOptions, render: messageTemplate(options), recorder }, share);
  const startedAt = context.startAt ?? performance.now();
  let phaseIndex = -1;
  let phaseName = context.phases[0]!.name;

  return new Promise<void>((resolve) => {
    let finished = false;
    const finish = async () => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      stopClock();
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
      pool.target = shareOf(position.connections, share);
      pool.tick();
    };
    const ticker = setInterval(step, TICK_MS);
    const stopClock = (context.clock ?? timerClock(context.intervalMs))(() => {
      pool.sweep();
      context.onInterval(recorder.flush(phaseName, pool.state()));
    });
    context.signal.addEventListener('abort', finish, { once: true });
    step();
  });
}
