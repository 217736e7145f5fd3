import { fork, type ChildProcess } from 'node:child_process';
import { compiledAsset } from '../../core/paths.js';
import { ownerId } from './labels.js';

let reaper: ChildProcess | undefined;

/** Forks the reaper (see reaper.ts) once per soak process; it never keeps soak from exiting. */
export function startReaper(): void {
  if (reaper) return;
  reaper = fork(compiledAsset('runtime/docker/reaper.js'), [ownerId], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    // Its own session: signals sent to soak's process group do not reach it.
    detached: true,
    execArgv: [],
  });
  reaper.unref();
  reaper.channel?.unref();
}
