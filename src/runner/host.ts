import { existsSync, readFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RunHost } from '../store/records.js';

/** cgroup v1 and v2 write "no limit" as a huge number or "max". */
function limitIn(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  const value = Number(text);
  return text !== 'max' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The memory limit of the cgroup this process runs in (v1 memory controller or v2), when it has one. */
function cgroupMemoryLimit(): number | undefined {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, path] = line.split(':');
      if (path === undefined) continue;
      if (controllers?.split(',').includes('memory')) return limitIn(join('/sys/fs/cgroup/memory', path, 'memory.limit_in_bytes'));
      if (controllers === '') return limitIn(join('/sys/fs/cgroup', path, 'memory.max'));
    }
  } catch {
    // Not Linux, or no /proc: no limit known.
  }
  return undefined;
}

/** What the analysis may need to know of this machine, recorded in meta.json when the run starts. */
export function hostFacts(): RunHost {
  const totalMemory = totalmem();
  const limit = cgroupMemoryLimit();
  return {
    node: process.version,
    platform: process.platform,
    cpus: cpus().length,
    hostname: hostname(),
    totalMemory,
    ...(limit !== undefined && limit < totalMemory ? { memoryLimit: limit } : {}),
  };
}
