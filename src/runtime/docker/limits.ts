import type Dockerode from 'dockerode';
import { SoakError } from '../../core/errors.js';
import type { AppliedLimits, ResourceLimits } from '../types.js';
import { engineMessage } from './images.js';

const PERIOD = 100_000;
/** The engine cannot be told "no memory limit" once one was set (0 means "unchanged", -1 is refused): 8 PiB stands for none. */
const NO_MEMORY_LIMIT = 2 ** 53;

/**
 * Caps a container with `docker update`: CPU as a CFS quota, memory together with memory+swap
 * (so the container cannot swap its way past the cap). The undo puts back what was there before.
 */
export async function limitContainer(container: Dockerode.Container, service: string, limits: ResourceLimits): Promise<AppliedLimits> {
  const before = (await container.inspect()).HostConfig;
  const update: Record<string, number> = {};
  const undo: Record<string, number> = {};
  if (limits.cpu !== undefined) {
    // A container started with --cpus has NanoCpus, which the engine refuses to combine with a quota.
    if ((before.NanoCpus ?? 0) > 0) {
      update.NanoCpus = Math.round(limits.cpu * 1e9);
      undo.NanoCpus = before.NanoCpus!;
    } else {
      update.CpuPeriod = PERIOD;
      update.CpuQuota = Math.max(1000, Math.round(limits.cpu * PERIOD));
      undo.CpuPeriod = before.CpuPeriod || PERIOD;
      undo.CpuQuota = (before.CpuQuota ?? 0) > 0 ? before.CpuQuota! : -1;
    }
  }
  if (limits.memory !== undefined) {
    update.Memory = limits.memory;
    update.MemorySwap = limits.memory;
    undo.Memory = (before.Memory ?? 0) > 0 ? before.Memory! : NO_MEMORY_LIMIT;
    // Unset memory+swap means twice the memory; with no memory limit, none either. (runc cannot
    // lift memory above the current memory+swap when told -1, so "none" is the same 8 PiB.)
    undo.MemorySwap = before.MemorySwap || ((before.Memory ?? 0) > 0 ? 2 * before.Memory! : NO_MEMORY_LIMIT);
  }
  try {
    await container.update(update);
  } catch (error) {
    throw new SoakError('runtime', `cannot starve "${service}" with docker update: ${engineMessage(error)}`);
  }
  return {
    detail: { dockerUpdate: update },
    undo: async () => {
      await container.update(undo).catch((error: unknown) => {
        // A container that is gone has no limits left to lift.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      });
    },
  };
}
