import { SoakError, type SoakErrorCode } from '../../core/errors.js';
import type { LoadInterval } from '../../store/records.js';
import { OPEN_FILES_RESERVE, raiseOpenFileLimit } from '../open-files.js';
import { loadDrivers } from '../registry.js';
import type { LoadContext, LoadDriver } from '../types.js';
import { mergeIntervals } from './merge.js';
import type { FromThread, ThreadSetup } from './messages.js';
import { processWorker, threadWorker, type DriverWorker } from './workers.js';

/** Child processes a stream may be spread over for open files; past it the limit itself must be raised. */
const MAX_PROCESSES = 64;

interface WorkerState {
  worker: DriverWorker;
  /** Its intervals not merged yet, oldest first. */
  intervals: LoadInterval[];
  ready: boolean;
  finished: boolean;
}

/**
 * Threads, as asked; or, when the stream holds more sockets than this process may open (and the
 * soft limit cannot be raised that far), child processes, each with its own limit and at most that
 * many sockets.
 */
function plan(driver: LoadDriver, options: unknown, context: LoadContext, workers: number): { count: number; start: () => DriverWorker } {
  const sockets = driver.sockets(options, context.phases);
  const limit = raiseOpenFileLimit(sockets + OPEN_FILES_RESERVE);
  if (limit === undefined || sockets + OPEN_FILES_RESERVE <= limit) return { count: workers, start: () => threadWorker(driver.thread) };
  const count = Math.max(workers, Math.ceil(sockets / (limit - OPEN_FILES_RESERVE)));
  if (count > MAX_PROCESSES || limit <= OPEN_FILES_RESERVE) {
    throw new SoakError('load', `load "${context.stream}": ${sockets} sockets need about ${sockets + OPEN_FILES_RESERVE} open files, more than ${MAX_PROCESSES} processes at the limit of ${limit} (ulimit -n) hold; raise the limit before starting soak`);
  }
  return { count, start: () => processWorker(driver.thread) };
}

/**
 * Runs one load stream on driver workers, each sending its share (see share.ts), so the generator
 * can use more than one core and none of its work waits on soak's main thread (probe collection,
 * the store, live checks) or delays it. Every interval the host asks all workers to end their
 * interval at once and merges the N-th interval of each into one record (merge.ts); a worker that
 * ended early counts as having nothing more to add.
 */
export function runStream(kind: string, options: unknown, context: LoadContext, workers: number): Promise<void> {
  if (context.signal.aborted) return Promise.resolve();
  const { count, start } = plan(loadDrivers.get(kind), options, context, workers);
  const states: WorkerState[] = Array.from({ length: count }, (_, index) => {
    const worker = start();
    const setup: ThreadSetup = { options, baseUrl: context.baseUrl, stream: context.stream, phases: context.phases, intervalMs: context.intervalMs, share: { index, count } };
    worker.send({ type: 'setup', setup });
    return { worker, intervals: [], ready: false, finished: false };
  });

  return new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    let flusher: NodeJS.Timeout | undefined;
    const broadcast = (message: Parameters<DriverWorker['send']>[0]) => states.forEach((state) => state.finished || state.worker.send(message));
    const abort = () => broadcast({ type: 'abort' });
    context.signal.addEventListener('abort', abort, { once: true });

    const emitMerged = () => {
      while (states.some((state) => state.intervals.length > 0) && states.every((state) => state.intervals.length > 0 || state.finished)) {
        const parts = states.flatMap((state) => (state.intervals.length > 0 ? [state.intervals.shift()!] : []));
        context.onInterval(mergeIntervals(parts, count));
      }
    };
    const startAll = () => {
      broadcast({ type: 'start', at: performance.timeOrigin + performance.now() });
      flusher = setInterval(() => broadcast({ type: 'flush' }), context.intervalMs);
    };
    const finish = (state: WorkerState, index: number, error?: Error) => {
      if (state.finished) return;
      if (error && !failure) {
        failure = error instanceof SoakError ? error : new Error(`load "${context.stream}": driver worker ${index} failed: ${error.message}`);
        abort();
      }
      state.finished = true;
      state.worker.stop();
      emitMerged();
      if (!states.every((each) => each.finished)) return;
      clearInterval(flusher);
      context.signal.removeEventListener('abort', abort);
      if (failure) reject(failure);
      else resolve();
    };

    states.forEach((state, index) => {
      state.worker.onMessage((message: FromThread) => {
        if (message.type === 'ready') {
          state.ready = true;
          if (states.every((each) => each.ready)) startAll();
        } else if (message.type === 'interval') {
          state.intervals.push(message.record);
          emitMerged();
        } else if (message.type === 'phase') {
          if (index === 0) context.onPhase(context.phases[message.index]!, message.index);
        } else if (message.type === 'done') {
          finish(state, index);
        } else {
          finish(state, index, message.code ? new SoakError(message.code as SoakErrorCode, message.message) : new Error(message.message));
        }
      });
      state.worker.onEnd((error) => finish(state, index, error));
    });
  });
}
