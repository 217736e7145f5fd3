import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ownerToken } from '../core/owner.js';
import { cgroupOf, createCgroup, movePid, pidsIn, removeCgroup, usableController } from './cgroup-v1.js';

/**
 * Everything a service starts, held so that all of it can be ended: children in new sessions
 * (`detached: true`, setsid) leave the process group, and once their parent exits they leave the
 * process tree too. A cgroup keeps them: every process forked inside one stays inside, whatever
 * it does. Where no cgroup can be made (no writable cgroup v1 freezer), an env marker that every
 * descendant inherits finds them instead; only a process that clears its environment escapes it.
 */
export interface ProcessHold {
  /** `cgroup`: a freezer cgroup of its own; `env`: the env marker alone. */
  kind: 'cgroup' | 'env';
  /** Env for the service: marks every process it starts with the holder's token. */
  env: Record<string, string>;
  /** Runs `start` (a spawn) so that the process it creates is held. */
  spawn<T>(start: () => T): T;
  /** Kills every held process and releases the hold. */
  release(): Promise<void>;
}

/** The env var that marks a service's processes: its guard's owner token (core/owner.ts). */
export const HOLD_ENV = 'SOAK_GUARD';
/** Cgroups of held services: soak-<service>-<guard token>, in the freezer hierarchy where soak runs. */
export const holdCgroupPattern = /^soak-[a-z0-9-]+-(\d+\.\d+)$/;

const until = async (done: () => boolean, timeoutMs: number) => {
  for (const deadline = Date.now() + timeoutMs; !done() && Date.now() < deadline; ) await sleep(10);
};

function kill(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

/** Live processes whose environment carries the marker `SOAK_GUARD=<token>`, with their tokens. */
export function markedProcesses(): { pid: number; token: string }[] {
  const marked: { pid: number; token: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const match = new RegExp(`(?:^|\\0)${HOLD_ENV}=(\\d+\\.\\d+)\\0`).exec(readFileSync(`/proc/${entry}/environ`, 'latin1'));
      if (match) marked.push({ pid: Number(entry), token: match[1]! });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return marked;
}

/**
 * Ends every process of a hold cgroup: frozen first, so none can fork while the others are
 * killed, then killed, thawed (a frozen process dies only once thawed) and the cgroup removed.
 */
export async function endCgroup(dir: string): Promise<void> {
  for (let round = 0; round < 3 && pidsIn(dir).length > 0; round++) {
    try {
      writeFileSync(join(dir, 'freezer.state'), 'FROZEN');
      await until(() => readFileSync(join(dir, 'freezer.state'), 'utf8').trim() === 'FROZEN', 1000);
    } catch {
      // Removed meanwhile, or a process stuck in the kernel: kill what is there anyway.
    }
    kill(pidsIn(dir));
    try {
      writeFileSync(join(dir, 'freezer.state'), 'THAWED');
    } catch {
      // Removed meanwhile.
    }
    await until(() => pidsIn(dir).length === 0, 2000);
  }
  await removeCgroup(dir);
}

function cgroupHold(service: string, token: string): ProcessHold | undefined {
  const mount = usableController('freezer');
  if (!mount) return undefined;
  const parent = join(mount, cgroupOf(process.pid, 'freezer'));
  const dir = join(parent, `soak-${service}-${token}`);
  try {
    createCgroup(dir, {});
  } catch {
    return undefined;
  }
  return {
    kind: 'cgroup',
    env: { [HOLD_ENV]: token },
    spawn(start) {
      // The spawned process inherits the cgroup of its parent at fork: the holder steps in for the
      // fork only, so freezing the cgroup never freezes the holder.
      movePid(dir, process.pid);
      try {
        return start();
      } finally {
        movePid(parent, process.pid);
      }
    },
    release: () => endCgroup(dir),
  };
}

/** The hold without a cgroup: the processes that carry the marker, found in /proc when released. */
export function markerHold(token = ownerToken()): ProcessHold {
  return {
    kind: 'env',
    env: { [HOLD_ENV]: token },
    spawn: (start) => start(),
    async release() {
      for (let round = 0; round < 3; round++) {
        const pids = markedProcesses().filter((entry) => entry.token === token).map((entry) => entry.pid);
        if (pids.length === 0) return;
        kill(pids);
        await sleep(50);
      }
    },
  };
}

/** A hold for one service started by this process (its guard): a cgroup where one can be made, else the env marker. */
export function holdProcesses(service: string): ProcessHold {
  const token = ownerToken();
  return cgroupHold(service, token) ?? markerHold(token);
}
