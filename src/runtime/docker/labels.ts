import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Labels soak puts on every container and image it creates for a run. Without the Ryuk reaper
 * nobody else removes them, so each carries its owner: the soak process (host, pid, start time),
 * which tells a leftover of a dead soak from the containers of one still running.
 */
export const label = {
  owner: 'dev.soak.owner',
  run: 'dev.soak.run',
  service: 'dev.soak.service',
  /** On the images `soak setup docker` builds: kept between runs, never swept. */
  image: 'dev.soak.image',
} as const;

/** Start time of a process in clock ticks after boot (proc(5) field 22): a reused pid has another. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
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

export function runLabels(runId: string, service: string): Record<string, string> {
  return { [label.owner]: ownerId, [label.run]: runId, [label.service]: service };
}
