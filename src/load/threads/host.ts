import { SoakError, type SoakErrorCode } from '../../core/errors.js';
import type { LoadInterval } from '../../store/records.js';
import { OPEN_FILES_RESERVE, raiseOpenFileLimit } from '../open-files.js';
import { loadDrivers } from '../registry.js';
import { splitShare, wholeStream, type Share } from '../share.js';
import type { LoadContext, LoadDriver } from '../types.js';
import { mergeIntervals } from './merge.js';
import type { FromThread, ThreadSetup } from './messages.js';
import { processWorker, threadWorker, type DriverWorker } from './workers.js';

/** Child processes a stream may be spread over for open files; past it the limit itself must be raised. */
const MAX_PROCESSES = 64;

/**
 * Where a stream's share runs when not on this process's threads: `count` workers (soak worker
 * processes, see src/distributed), each given part `index` of the share. A worker whose connection
 * is lost does not fail the stream: `onLost` is told, and the others go on.
 */
export interface WorkerGroup {
  count: number;
  start(index: number): DriverWorker;
  onLost(index: number, share: Share, error: Error): void;
  /** Driver threads in all, across the group (for the merged record's `generator.threads`). */
  threads: number;
}

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

/** A stream running on its workers: started once all are ready, its intervals ended by `flush`. */
export interface StreamRun {
  /** Every worker is ready to start. */
  ready: Promise<void>;
  /** Starts every worker's schedule at `at` (performance.timeOrigin + performance.now() of this process). */
  start(at: number): void;
  /** Ends the current interval of every worker; the merged record follows once all have sent theirs. */
  flush(): void;
  /** Settles when every worker has ended; rejects with the first failure. */
  done: Promise<void>;
}

/**
 * Opens one load stream on driver workers, each sending its part of the stream's share (see
 * share.ts), so the generator can use more than one core and none of its work waits on soak's main
 * thread (probe collection, the store, live checks) or delays it. Each flush asks all workers to
 * end their interval at once, and the N-th interval of each is merged into one record (merge.ts);
 * a worker that ended early counts as having nothing more to add.
 */
export function openStream(kind: string, options: unknown, context: LoadContext, workers: number, group?: WorkerGroup): StreamRun {
  const share = context.share ?? wholeStream;
  const { count, start } = group ?? plan(loadDrivers.get(kind), options, context, workers);
  const threads = group?.threads ?? count;
  const states: WorkerState[] = Array.from({ length: count }, (_, index) => {
    const worker = start(index);
    const setup: ThreadSetup = { options, baseUrl: context.baseUrl, stream: context.stream, phases: context.phases, intervalMs: context.intervalMs, share: splitShare(share, index, count) };
    worker.send({ type: 'setup', setup });
    return { worker, intervals: [], ready: false, finished: false };
  });

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const broadcast = (message: Parameters<DriverWorker['send']>[0]) => states.forEach((state) => state.finished || state.worker.send(message));
  const done = new Promise<void>((resolve, reject) => {
    let failure: Error | undefined;
    // Phases are told once, by whichever worker enters one first (any of them may be lost).
    let phaseEntered = -1;
    const abort = () => broadcast({ type: 'abort' });
    context.signal.addEventListener('abort', abort, { once: true });

    const emitMerged = () => {
      while (states.some((state) => state.intervals.length > 0) && states.every((state) => state.intervals.length > 0 || state.finished)) {
        const parts = states.flatMap((state) => (state.intervals.length > 0 ? [state.intervals.shift()!] : []));
        context.onInterval(mergeIntervals(parts, threads));
      }
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
      context.signal.removeEventListener('abort', abort);
      if (failure) reject(failure);
      else resolve();
    };
    const lose = (state: WorkerState, index: number, error: Error) => {
      if (state.finished) return;
      group!.onLost(index, splitShare(share, index, count), error);
      finish(state, index);
    };

    states.forEach((state, index) => {
      state.worker.onMessage((message: FromThread) => {
        if (message.type === 'ready') {
          state.ready = true;
          if (states.every((each) => each.ready)) markReady();
        } else if (message.type === 'interval') {
          state.intervals.push(message.record);
          emitMerged();
        } else if (message.type === 'phase') {
          if (message.index <= phaseEntered) return;
          phaseEntered = message.index;
          context.onPhase(context.phases[message.index]!, message.index);
        } else if (message.type === 'done') {
          finish(state, index);
        } else {
          finish(state, index, message.code ? new SoakError(message.code as SoakErrorCode, message.message) : new Error(message.message));
        }
      });
      state.worker.onEnd((error) => (group && state.ready && error ? lose(state, index, error) : finish(state, index, error)));
    });
  });
  return { ready, start: (at) => broadcast({ type: 'start', at }), flush: () => broadcast({ type: 'flush' }), done };
}

/** Runs one load stream on its workers (see openStream), starting as soon as all are ready. */
export async function runStream(kind: string, options: unknown, context: LoadContext, workers: number, group?: WorkerGroup): Promise<void> {
  if (context.signal.aborted) return;
  const stream = openStream(kind, options, context, workers, group);
  let flusher: NodeJS.Timeout | undefined;
  void stream.ready.then(() => {
    stream.start(performance.timeOrigin + performance.now());
    flusher = setInterval(() => stream.flush(), context.intervalMs);
  });
  try {
    await stream.done;
  } finally {
    clearInterval(flusher);
  }
}
