import { ownerId } from '../../core/owner.js';

export { ownerAlive, ownerId } from '../../core/owner.js';

/**
 * Labels soak puts on every container and image it creates for a run. Without the Ryuk reaper
 * nobody else removes them, so each carries its owner: the soak process (host, pid, start time),
 * which tells a leftover of a dead soak from the containers of one still running.
 */
export const label = {
  owner: 'dev.soak.owner',
  run: 'dev.soak.run',
  service: 'dev.soak.service',
  /** On the images `soak setup docker` builds: kept between runs, never swept. */
  image: 'dev.soak.image',
} as const;

export function runLabels(runId: string, service: string): Record<string, string> {
  return { [label.owner]: ownerId, [label.run]: runId, [label.service]: service };
}
