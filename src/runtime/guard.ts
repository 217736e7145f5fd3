/**
 * Runs between soak and one local service, as its parent. It starts the service in a process
 * group of its own (so soak can pause, signal and kill the whole tree) and watches soak: when
 * the IPC channel to soak closes — soak exited, crashed, or was killed with SIGKILL — it kills
 * the service's group, so no target outlives the harness.
 *
 * argv: <stdout file> <stderr file> <shell command>; env and cwd are the service's.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { signalService } from './process-tree.js';
import { shellArgv } from './shell.js';

const [stdoutFile, stderrFile, command] = process.argv.slice(2) as [string, string, string];
const send = (message: object) => process.send?.(message);

const [shell, ...shellArgs] = shellArgv(command);
const child = spawn(shell!, shellArgs, {
  detached: true,
  stdio: ['ignore', openSync(stdoutFile, 'a'), openSync(stderrFile, 'a')],
});

let exited = false;

function killGroup(signal: NodeJS.Signals): void {
  if (child.pid !== undefined) signalService(child.pid, signal);
}

child.on('spawn', () => send({ type: 'started', pid: child.pid }));
child.on('error', (error) => {
  send({ type: 'error', message: error.message });
  process.exit(1);
});
child.on('exit', (code, signal) => {
  exited = true;
  // Grandchildren the service left behind would otherwise be orphans nobody stops.
  killGroup('SIGKILL');
  send({ type: 'exit', code, signal });
  process.disconnect?.();
});

process.on('disconnect', () => {
  if (exited) return;
  killGroup('SIGTERM');
  setTimeout(() => {
    killGroup('SIGKILL');
    process.exit(0);
  }, 1500).unref();
  child.on('exit', () => process.exit(0));
});

// soak signals the service's group directly; the guard itself ignores them so a Ctrl-C that
// reaches the whole foreground group still lets soak stop the service in order.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
