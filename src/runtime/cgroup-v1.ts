import { accessSync, constants, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SoakError } from '../core/errors.js';

/** cpu and memory: the starve fault's limits; freezer: the process guard's hold on everything a service starts. */
export type Controller = 'cpu' | 'memory' | 'freezer';
const controllers: readonly Controller[] = ['cpu', 'memory', 'freezer'];

/** Where each cgroup v1 controller is mounted, read from /proc/self/mounts. */
function controllerMounts(): Map<Controller, { path: string; writable: boolean }> {
  const mounts = new Map<Controller, { path: string; writable: boolean }>();
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const [, path, type, options = ''] = line.split(' ');
    if (type !== 'cgroup' || !path) continue;
    const flags = options.split(',');
    for (const controller of controllers) {
      if (flags.includes(controller)) mounts.set(controller, { path, writable: flags.includes('rw') });
    }
  }
  return mounts;
}

/** The controller's mount point when this process may create cgroups in it; undefined otherwise. */
export function usableController(controller: Controller): string | undefined {
  const mount = controllerMounts().get(controller);
  return mount?.writable && isWritable(mount.path) ? mount.path : undefined;
}

/** The controller's mount point, or a SoakError saying why soak cannot use it on this host. */
export function writableController(controller: Controller): string {
  const mount = controllerMounts().get(controller);
  if (!mount) {
    throw new SoakError('unsupported', `starve needs the cgroup v1 "${controller}" controller, and this host has none mounted (cgroup v2 only, or no cgroups): use a docker runtime or drop the ${controller} limit`);
  }
  const problem = !mount.writable ? 'is mounted read-only' : isWritable(mount.path) ? undefined : 'is not writable by this user (run soak as root)';
  if (problem) throw new SoakError('unsupported', `starve needs a writable cgroup v1 "${controller}" controller, and ${mount.path} ${problem}`);
  return mount.path;
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The pid's cgroup path for the controller, relative to the controller's mount. */
export function cgroupOf(pid: number, controller: Controller): string {
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const [, controllers = '', path = '/'] = line.split(':');
    if (controllers.split(',').includes(controller)) return path;
  }
  return '/';
}

/** Writes a pid into a cgroup; false when the process has exited meanwhile. */
export function movePid(cgroupDir: string, pid: number): boolean {
  try {
    writeFileSync(join(cgroupDir, 'cgroup.procs'), String(pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

export function pidsIn(cgroupDir: string): number[] {
  try {
    return readFileSync(join(cgroupDir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    // Removed meanwhile: it holds nothing.
    return [];
  }
}

export function createCgroup(dir: string, settings: Record<string, string>): void {
  mkdirSync(dir);
  try {
    for (const [file, value] of Object.entries(settings)) writeFileSync(join(dir, file), value);
  } catch (error) {
    rmdirSync(dir);
    throw error;
  }
}

/** Removes an emptied cgroup; a process that was just moved out can keep it busy for a moment. */
export async function removeCgroup(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export function readNumber(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

/** Proportional set size of the processes, so memory shared between them is counted once. */
export function proportionalMemory(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      total += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // Exited meanwhile.
    }
  }
  return total;
}
