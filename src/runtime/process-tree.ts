import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cgroupOf, pidsIn, usableController } from './cgroup-v1.js';
import { holdCgroupPattern } from './process-hold.js';

/** The processes of the hold cgroup the root was started in (see process-hold.ts); none without one. */
function heldWith(rootPid: number): number[] {
  const mount = usableController('freezer');
  if (!mount) return [];
  try {
    const path = cgroupOf(rootPid, 'freezer');
    return holdCgroupPattern.test(basename(path)) ? pidsIn(join(mount, path)) : [];
  } catch {
    return [];
  }
}

/**
 * Every live process of a service: its process group, all descendants of the root, and whatever
 * else its hold cgroup holds. All are needed: PostgreSQL backends call setsid() and leave the
 * group, a service may put children in groups of their own, and a detached child whose parent
 * exited leaves the tree, yet pausing or killing "the service" must reach them all.
 */
export function serviceProcesses(rootPid: number): number[] {
  const processes: { pid: number; ppid: number; pgrp: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') processes.push({ pid: Number(entry), ppid: Number(ppid), pgrp: Number(pgrp) });
    } catch {
      // Exited while the list was read.
    }
  }
  const members = new Set([...processes.filter((entry) => entry.pid === rootPid || entry.pgrp === rootPid).map((entry) => entry.pid), ...heldWith(rootPid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of processes) {
      if (!members.has(entry.pid) && members.has(entry.ppid)) {
        members.add(entry.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

/** Signals the group first (one syscall, no race with new children), then any descendant outside it. */
export function signalService(rootPid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-rootPid, signal);
  } catch {
    // The group is gone; descendants that left it may remain.
  }
  for (const pid of serviceProcesses(rootPid)) {
    try {
      process.kill(pid, signal);
    } catch {
      // Exited meanwhile.
    }
  }
}
