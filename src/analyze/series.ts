import type { AnalysisConfig } from './types.js';

/** Samples of one service split by process: a restart or a cluster worker is a separate heap with its own history. */
export function byPid<T extends { pid: number }>(samples: readonly T[]): T[][] {
  const groups = new Map<number, T[]>();
  for (const sample of samples) {
    const group = groups.get(sample.pid);
    if (group) group.push(sample);
    else groups.set(sample.pid, [sample]);
  }
  return [...groups.values()];
}

/** A process's samples after its warm-up (JIT, caches and pools filling), counted from its first sample. */
export function afterWarmup<T extends { t: number }>(samples: readonly T[], config: AnalysisConfig): T[] {
  const first = samples[0];
  if (!first) return [];
  return samples.filter((sample) => sample.t >= first.t + config.warmupMs);
}
