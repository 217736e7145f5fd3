import { parentPort } from 'node:worker_threads';
import { isSoakError } from '../../core/errors.js';
import type { LoadContext } from '../types.js';
import type { FromThread, ThreadSetup, ToThread } from './messages.js';

/** What a driver thread runs: a driver's `run`, given its share of the stream. */
export type DriverRun = (options: never, context: LoadContext) => Promise<void>;

/**
 * Serves one driver in a driver worker, a thread or (see workers.ts) a child process: runs its share
 * of one stream. Each driver's thread entry (http-thread.ts, ws/thread.ts) calls this with its run,
 * so a worker loads that driver's code alone. Intervals end when the host says (so every worker's
 * N-th interval covers the same time) and are posted to the host, which merges them. Nothing else
 * runs here: probes, analysis and the store stay on soak's main thread.
 */
export function serveDriver(driverRun: DriverRun): void {
  const run = driverRun as (options: unknown, context: LoadContext) => Promise<void>;
  const channel = parentPort
    ? { post: (message: FromThread) => parentPort!.postMessage(message), listen: (on: (message: ToThread) => void) => parentPort!.on('message', on), close: () => parentPort!.close() }
    : { post: (message: FromThread) => process.send!(message), listen: (on: (message: ToThread) => void) => process.on('message', on), close: () => {} };
  // A child process is ended by its host once done; one whose soak has gone (even killed with -9) has no one to report to.
  if (!parentPort) process.once('disconnect', () => process.exit(0));

  const abort = new AbortController();
  let setup: ThreadSetup | undefined;
  let flush: (() => void) | undefined;
  let started = false;

  const start = async (setup: ThreadSetup, startAt: number): Promise<void> => {
    try {
      await run(setup.options, {
        baseUrl: setup.baseUrl,
        stream: setup.stream,
        phases: setup.phases,
        intervalMs: setup.intervalMs,
        share: setup.share,
        startAt,
        signal: abort.signal,
        clock: (onFlush) => {
          flush = onFlush;
          return () => (flush = undefined);
        },
        onInterval: (record) => channel.post({ type: 'interval', record }),
        onPhase: (_phase, index) => channel.post({ type: 'phase', index }),
      });
      channel.post({ type: 'done' });
    } catch (error) {
      channel.post({ type: 'error', message: (error as Error).message, ...(isSoakError(error) ? { code: error.code } : {}) });
    } finally {
      channel.close();
    }
  };

  channel.listen((message) => {
    if (message.type === 'setup') setup = message.setup;
    else if (message.type === 'flush') flush?.();
    else if (message.type === 'abort') {
      abort.abort();
      // Aborted before it started (another worker failed to): nothing was sent, nothing to report.
      if (!started) {
        channel.post({ type: 'done' });
        channel.close();
      }
    } else {
      started = true;
      void start(setup!, message.at - performance.timeOrigin);
    }
  });
  channel.post({ type: 'ready' });
}
