import { availableParallelism } from 'node:os';

/**
 * Driver threads for a stream when the scenario names none: as many as its driver's demand (in
 * threads' worth of load, see LoadDriver.demand), at most half the cores (the other half is the
 * target's, which usually shares the machine), at least one. The stream's rate itself is capped
 * once, when the scenario is loaded (core/limits.ts).
 */
export function defaultThreads(demand: number, cores = availableParallelism()): number {
  return Math.min(Math.max(1, Math.floor(cores / 2)), Math.max(1, Math.ceil(demand)));
}
