import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who made a thing soak leaves on the host (a container, a temp dir, a cgroup, a run lock): a
 * process named by its pid and its start time, so a leftover of a dead soak is told from what a
 * live one still uses, even once the pid has been reused.
 */

/**
 * Start time of a live process in clock ticks after boot (proc(5) field 22): a reused pid has
 * another. Undefined once it has exited, also while it waits as a zombie for its parent to reap it.
 */
export function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** This soak process, as written in the owner label: "host/pid/start". */
export const ownerId = `${hostname()}/${process.pid}/${startTicks(process.pid) ?? '0'}`;

/** False only for an owner on this host whose process is gone: what may be swept. */
export function ownerAlive(owner: string): boolean {
  const [host, pid, started] = owner.split('/');
  if (host !== hostname()) return true;
  return startTicks(Number(pid)) === started;
}

/** A local process as a token fit for file and cgroup names: "pid.start". */
export function ownerToken(pid = process.pid): string {
  return `${pid}.${startTicks(pid) ?? '0'}`;
}

/** Whether the process a token names still runs (on this host: tokens name local things only). */
export function tokenAlive(token: string): boolean {
  const [pid, started] = token.split('.');
  return startTicks(Number(pid)) === started;
}
