import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every live process of a service: its process group and all descendants of the root. Both are
 * needed: PostgreSQL backends call setsid() and leave the group, and a service may put
 * children in groups of their own, yet pausing or killing "the service" must reach them all.
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
  const members = new Set(processes.filter((entry) => entry.pid === rootPid || entry.pgrp === rootPid).map((entry) => entry.pid));
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
