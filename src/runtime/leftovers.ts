import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tokenAlive } from '../core/owner.js';
import { sweepOwnedTempDirs } from '../core/temp.js';
import { cgroupOf, usableController } from './cgroup-v1.js';
import { endCgroup, holdCgroupPattern, markedProcesses } from './process-hold.js';

export interface Leftovers {
  /** Hold cgroups (and the processes in them) of guards that are gone. */
  cgroups: number;
  /** Processes marked by a guard that is gone, outside any cgroup. */
  processes: number;
  /** Throwaway directories (database data) of soak processes that are gone. */
  tempDirs: number;
}

/**
 * Ends what soak processes killed outright left behind (their guards killed with them, as a
 * process-group SIGKILL does): held processes, their cgroups, and data directories. Called as a
 * run starts; whatever a live soak still owns is left alone.
 */
export async function sweepLeftovers(): Promise<Leftovers> {
  const swept: Leftovers = { cgroups: 0, processes: 0, tempDirs: sweepOwnedTempDirs() };
  const mount = usableController('freezer');
  if (mount) {
    const parent = join(mount, cgroupOf(process.pid, 'freezer'));
    for (const name of readdirSync(parent)) {
      const owner = holdCgroupPattern.exec(name)?.[1];
      if (!owner || tokenAlive(owner)) continue;
      await endCgroup(join(parent, name)).catch(() => {});
      swept.cgroups += 1;
    }
  }
  for (const { pid, token } of markedProcesses()) {
    if (tokenAlive(token)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      swept.processes += 1;
    } catch {
      // Exited meanwhile.
    }
  }
  return swept;
}
