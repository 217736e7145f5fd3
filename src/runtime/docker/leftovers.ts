import type Dockerode from 'dockerode';
import { label, ownerAlive } from './labels.js';

/** Removes the containers, then the images, carrying the owner label and accepted by `which`; returns how many. */
export async function removeOwned(docker: Dockerode, which: (owner: string) => boolean, filter: string = label.owner): Promise<number> {
  let removed = 0;
  const containers = await docker.listContainers({ all: true, filters: { label: [filter] } });
  for (const info of containers) {
    if (!which(info.Labels[label.owner] ?? '')) continue;
    await docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .then(() => removed++)
      .catch(() => {});
  }
  const images = await docker.listImages({ filters: { label: [filter] } });
  for (const info of images) {
    if (!which(info.Labels?.[label.owner] ?? '')) continue;
    await docker
      .getImage(info.Id)
      .remove({ force: true })
      .then(() => removed++)
      .catch(() => {});
  }
  return removed;
}

/** What soak processes that are gone left behind (killed with SIGKILL, or their reaper was): run at the start of a run. */
export function removeLeftovers(docker: Dockerode): Promise<number> {
  return removeOwned(docker, (owner) => !ownerAlive(owner));
}
