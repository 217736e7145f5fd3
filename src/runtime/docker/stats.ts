import type Dockerode from 'dockerode';
import type { ContainerSample } from '../../store/records.js';

/**
 * Samples a container's CPU and memory from the engine (`docker stats`, one shot). CPU is the
 * container's cgroup usage since the previous sample, so the first call only sets the mark.
 */
export class EngineStatsSampler {
  private last?: { usageNs: number; at: number };

  constructor(private readonly container: Dockerode.Container) {}

  async sample(): Promise<Omit<ContainerSample, 'service'> | undefined> {
    let stats: Dockerode.ContainerStats;
    try {
      stats = await this.container.stats({ stream: false, 'one-shot': true });
    } catch {
      return undefined;
    }
    // A container that is not running reports a zero read time and no memory.
    if (stats.read.startsWith('0001') || !stats.memory_stats?.usage) {
      this.last = undefined;
      return undefined;
    }
    const at = Date.parse(stats.read);
    const usageNs = stats.cpu_stats.cpu_usage.total_usage;
    const previous = this.last;
    this.last = { usageNs, at };
    if (!previous || at <= previous.at) return undefined;
    const memoryStats = stats.memory_stats.stats as Record<string, number | undefined>;
    // What `docker stats` shows: usage less the inactive page cache the kernel can take back at once.
    const cache = memoryStats.total_inactive_file ?? memoryStats.inactive_file ?? 0;
    return {
      source: 'container',
      t: at,
      container: this.container.id.slice(0, 12),
      cpuPercent: Math.round((Math.max(0, usageNs - previous.usageNs) / ((at - previous.at) * 1e6)) * 1000) / 10,
      memory: Math.max(0, stats.memory_stats.usage - cache),
      memoryLimit: stats.memory_stats.limit,
    };
  }
}
