import { join } from 'node:path';
import { z } from 'zod';
import { SoakError } from '../../core/errors.js';
import { positiveNumber } from '../../core/fields.js';
import { serviceProcesses } from '../../runtime/process-tree.js';
import { cgroupOf, createCgroup, movePid, pidsIn, proportionalMemory, readNumber, removeCgroup, writableController, type Controller } from '../../runtime/cgroup-v1.js';
import { byteSize, duration, target } from '../fields.js';
import type { ServiceHandle } from '../../runtime/types.js';
import { serviceOf } from '../targets.js';
import type { FaultKind } from '../types.js';

const schema = z
  .object({
    target,
    duration,
    /** CPU the service may use, in cores (0.2 = a fifth of one core). */
    cpu: positiveNumber.optional(),
    /** Memory the whole service may use, e.g. "128m". */
    memory: byteSize.optional(),
  })
  .strict()
  .refine((options) => options.cpu !== undefined || options.memory !== undefined, { message: 'give cpu (cores, e.g. 0.2), memory (e.g. "128m") or both' });

type StarveOptions = z.infer<typeof schema>;

const SMALLEST_MEMORY_LIMIT = 1 << 20;

/** cgroups hold processes of this host: a service soak did not start has none it may move. */
function localProcess(handle: ServiceHandle): ServiceHandle {
  if (handle.pid <= 0) throw new SoakError('unsupported', `target: "${handle.name}" is not a process soak started, so it cannot be starved`);
  return handle;
}

function controllersFor(options: StarveOptions): Controller[] {
  return [...(options.cpu !== undefined ? (['cpu'] as const) : []), ...(options.memory !== undefined ? (['memory'] as const) : [])];
}

/** The limits to write into a new cgroup under `parent`, and what they were derived from. */
function limits(controller: Controller, options: StarveOptions, parent: string, pids: number[]): { settings: Record<string, string>; detail: Record<string, unknown> } {
  if (controller === 'cpu') {
    const period = readNumber(join(parent, 'cpu.cfs_period_us'));
    const quota = Math.max(1000, Math.round(options.cpu! * period));
    return { settings: { 'cpu.cfs_quota_us': String(quota) }, detail: { cpuQuotaUs: quota, cpuPeriodUs: period } };
  }
  // cgroup v1 on this kernel cannot move memory already charged (move_charge_at_immigrate is gone),
  // so the new cgroup only counts what the service allocates from now on: its limit is what is left
  // of the asked-for total once the memory the service holds now is taken off.
  const inUse = proportionalMemory(pids);
  const limit = Math.max(SMALLEST_MEMORY_LIMIT, options.memory! - inUse);
  return { settings: { 'memory.limit_in_bytes': String(limit) }, detail: { memoryInUse: inUse, memoryCgroupLimit: limit } };
}

/**
 * Limits a local service's CPU and/or memory with cgroup v1: a new cgroup named
 * soak-<run>-<service>, under the one the service is in (so the host's own limits still apply),
 * receives every process of the service (children it starts later follow by themselves); at the
 * end they go back and the cgroup is removed. A container is capped by its engine instead
 * (`docker update`, see ServiceHandle.limit).
 */
export const starveFault: FaultKind<StarveOptions> = {
  kind: 'starve',
  schema,
  plan: (options) => ({ target: options.target, durationMs: options.duration, detail: { cpu: options.cpu, memory: options.memory } }),
  async check(options, context) {
    // A service whose runtime caps it by its own means (a container) needs no cgroup of soak's.
    if (serviceOf(context, options.target).limit) return;
    localProcess(serviceOf(context, options.target));
    for (const controller of controllersFor(options)) writableController(controller);
  },
  async begin(options, context) {
    const limited = serviceOf(context, options.target);
    if (limited.limit) {
      const applied = await limited.limit({ cpu: options.cpu, memory: options.memory });
      return { detail: applied.detail, end: applied.undo };
    }
    const handle = localProcess(limited);
    const pids = serviceProcesses(handle.pid);
    if (pids.length === 0) throw new SoakError('runtime', `service "${options.target}" has no running processes to starve`);
    const name = `soak-${context.runId}-${options.target}`;
    const created: { dir: string; parent: string; origins: Map<number, string> }[] = [];
    const undo = async () => {
      for (const { dir, parent, origins } of created.splice(0)) {
        for (const pid of pidsIn(dir)) movePid(origins.get(pid) ?? parent, pid);
        await removeCgroup(dir);
      }
    };
    const detail: Record<string, unknown> = { pids, cgroup: name };
    try {
      for (const controller of controllersFor(options)) {
        const mount = writableController(controller);
        const parent = join(mount, cgroupOf(handle.pid, controller));
        const dir = join(parent, name);
        const limit = limits(controller, options, parent, pids);
        Object.assign(detail, limit.detail);
        createCgroup(dir, limit.settings);
        const origins = new Map<number, string>();
        created.push({ dir, parent, origins });
        for (const pid of pids) {
          origins.set(pid, join(mount, cgroupOf(pid, controller)));
          movePid(dir, pid);
        }
      }
    } catch (error) {
      await undo();
      if (error instanceof SoakError) throw error;
      throw new SoakError('runtime', `cannot starve "${options.target}" with cgroup ${name}: ${(error as Error).message}`, { cause: error });
    }
    return { detail, end: undo };
  },
};
