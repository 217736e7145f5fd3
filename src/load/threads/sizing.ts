import { availableParallelism } from 'node:os';
import { SoakError } from '../../core/errors.js';
import type { Phase } from '../types.js';

/**
 * The most arrivals per second one driver thread is asked to schedule. One thread sends about 45k
 * req/s to a hello-world target on this project's machine before it saturates (README, Measured);
 * a rate up to about twice that still runs and is reported as `generator-saturated`. Far beyond it
 * the schedule is nothing but backlog to work through, and a 3 s phase at 1e9 req/s kept soak busy
 * for 87 s: such a rate is refused when the scenario is loaded.
 */
export const maxRatePerThread = 100_000;

/**
 * Driver threads for a stream when the scenario names none: as many as its driver's demand (in
 * threads' worth of load, see LoadDriver.demand), at most half the cores (the other half is the
 * target's, which usually shares the machine), at least one.
 */
export function defaultThreads(demand: number, cores = availableParallelism()): number {
  return Math.min(Math.max(1, Math.floor(cores / 2)), Math.max(1, Math.ceil(demand)));
}

/** Refuses a phase whose rate no number of these threads could schedule; `where` is the stream's path (`load`, `load[1]`). */
export function assertSchedulableRates(phases: Phase[], threads: number, where: string): void {
  const most = maxRatePerThread * threads;
  phases.forEach((phase, index) => {
    const rate = phase.rate === undefined ? 0 : Math.max(...(Array.isArray(phase.rate) ? phase.rate : [phase.rate]));
    if (rate > most) {
      throw new SoakError(
        'scenario',
        `${where}.phases[${index}].rate: ${rate} req/s is more than soak can schedule with ${threads} driver thread${threads === 1 ? '' : 's'} (at most ${maxRatePerThread.toLocaleString('en-US')} req/s each); lower the rate or raise ${where}.workers`,
      );
    }
  });
}
