/**
 * What a Node target's own node children (workers a supervisor forks, a process per request) get
 * instead of the probe: one line appended to SOAK_CHILD_EXITS when they exit with a non-zero code.
 * A supervisor that restarts a crashing worker hides the crash from the OS view (the tree just
 * gets a new pid); this line is how soak sees it. The probe's rule holds: never change how the
 * child behaves, never throw.
 *
 * A child killed by a signal runs no exit handler and leaves no line; its parent sees the signal.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const startedAt = Date.now();

function recordExit(code: number): void {
  const file = process.env.SOAK_CHILD_EXITS;
  // A clean exit is a worker's normal end (a process per request exits 0 thousands of times an hour).
  if (!file || code === 0) return;
  const record = {
    t: Date.now(),
    type: 'child-exit',
    service: process.env.SOAK_SERVICE ?? 'target',
    pid: process.pid,
    ppid: process.ppid,
    code,
    uptimeMs: Date.now() - startedAt,
    script: basename(process.argv[1] ?? ''),
  };
  try {
    // One short O_APPEND write: lines from concurrent children do not interleave.
    appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  } catch {
    // A lost line is a lost exit record, never the child's problem.
  }
}

if (isMainThread && process.env.SOAK_CHILD_EXITS) process.on('exit', recordExit);
