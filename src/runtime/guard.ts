/**
 * Runs between soak and one local service, as its parent. It starts the service in a process
 * group of its own (so soak can pause, signal and kill the whole tree) and in a hold (see
 * process-hold.ts) that keeps every process the service starts, detached ones too. When the
 * service exits it ends whatever the service left behind. It also watches soak: when the IPC
 * channel to soak closes — soak exited, crashed, or was killed with SIGKILL — it stops the
 * service, ends the hold and removes the service's scratch directories, so nothing outlives the
 * harness.
 *
 * argv: one JSON GuardRequest; env and cwd are the service's.
 */
import { spawn } from 'node:child_process';
import { openSync, rmSync } from 'node:fs';
import { holdProcesses } from './process-hold.js';
import { signalService } from './process-tree.js';
import { shellArgv } from './shell.js';

export interface GuardRequest {
  name: string;
  command: string;
  stdoutFile: string;
  stderrFile: string;
  /** Removed once the service is gone if soak died first; otherwise soak removes them itself. */
  scratchDirs: string[];
}

const request = JSON.parse(process.argv[2]!) as GuardRequest;
/** Once soak is gone there is nobody to tell. */
const send = (message: object) => {
  if (process.connected) process.send?.(message);
};
/** Past this, an orphaned guard leaves even if the service would not die. */
const ORPHANED_EXIT_MS = 10_000;

const hold = holdProcesses(request.name);
const [shell, ...shellArgs] = shellArgv(request.command);
const child = hold.spawn(() =>
  spawn(shell!, shellArgs, {
    detached: true,
    env: { ...process.env, ...hold.env },
    stdio: ['ignore', openSync(request.stdoutFile, 'a', 0o600), openSync(request.stderrFile, 'a', 0o600)],
  }),
);

let exited = false;
let orphaned = false;

function killGroup(signal: NodeJS.Signals): void {
  if (child.pid !== undefined) signalService(child.pid, signal);
}

function removeScratch(): void {
  for (const dir of request.scratchDirs) rmSync(dir, { recursive: true, force: true });
}

child.on('spawn', () => send({ type: 'started', pid: child.pid, hold: hold.kind }));
child.on('error', (error) => {
  send({ type: 'error', message: error.message });
  void hold.release().finally(() => process.exit(1));
});
child.on('exit', (code, signal) => {
  exited = true;
  // Grandchildren the service left behind, detached or not, would otherwise be orphans nobody stops.
  killGroup('SIGKILL');
  void hold.release().finally(() => {
    send({ type: 'exit', code, signal });
    if (process.connected) process.disconnect();
    if (orphaned) {
      removeScratch();
      process.exit(0);
    }
  });
});

process.on('disconnect', () => {
  if (exited) return;
  orphaned = true;
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 1500).unref();
  setTimeout(() => process.exit(0), ORPHANED_EXIT_MS).unref();
});

// soak signals the service's group directly; the guard itself ignores them so a Ctrl-C that
// reaches the whole foreground group still lets soak stop the service in order.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
