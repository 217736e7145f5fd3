import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromThread, ToThread } from './messages.js';

/** One driver worker as the host sees it, whether a thread or a child process. */
export interface DriverWorker {
  send(message: ToThread): void;
  onMessage(listener: (message: FromThread) => void): void;
  /** An error that escaped the worker, or its exit before it said it was done. */
  onEnd(listener: (error?: Error) => void): void;
  stop(): void;
}

/** Run from TypeScript sources (tests, benches), a driver's thread entry is its .ts file. */
const fromSource = import.meta.url.endsWith('.ts');
const sourceOf = (entry: URL) => (fromSource ? new URL(entry.href.replace(/\.js$/, '.ts')) : entry);

/**
 * A thread in this process, started from a driver's thread entry. Built, the entry is plain
 * JavaScript; from sources it is loaded through tsx's require hook: on Node 20 a worker thread
 * cannot register module hooks for its own ES module loader.
 */
export function threadWorker(entry: URL): DriverWorker {
  const require = createRequire(import.meta.url);
  const worker = fromSource
    ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(fileURLToPath(sourceOf(entry)))});`, { eval: true })
    : new Worker(entry);
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onEnd: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`exited with code ${code}`)));
    },
    stop: () => void worker.terminate(),
  };
}

/** A child process: its own open-file limit, for streams holding more sockets than this process may open. */
export function processWorker(entry: URL): DriverWorker {
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  const child: ChildProcess = fork(fileURLToPath(sourceOf(entry)), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as FromThread)),
    onEnd: (listener) => {
      child.on('error', listener);
      child.on('exit', (code, signal) => listener(new Error(`exited with ${signal ?? `code ${code}`}`)));
    },
    stop: () => child.kill('SIGKILL'),
  };
}
