/**
 * soak's own reaper, in place of testcontainers' Ryuk: a small process forked by the first soak
 * process that starts a container. It waits for the IPC channel to that soak process to close —
 * soak exited, crashed, was killed with SIGKILL, or quit on a second Ctrl-C — and then removes
 * every container and image labelled with soak's owner id (argv[2]).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connectEngine, type DockerEngine } from './engine.js';
import { label } from './labels.js';
import { removeOwned } from './leftovers.js';

const owner = process.argv[2]!;
const ATTEMPTS = 5;
const RETRY_MS = 1000;

// Connecting loads testcontainers, which takes a while: started now, it is ready when soak goes.
let engine: Promise<DockerEngine> = connectEngine();
engine.catch(() => {});

/** Removes what the owner left; an engine that is briefly unreachable or busy gets a few more tries. */
async function removeOwnerLeftovers(): Promise<void> {
  const ownedBy = `${label.owner}=${owner}`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const { docker } = await engine;
      await removeOwned(docker, (found) => found === owner, ownedBy);
      const left = await docker.listContainers({ all: true, filters: { label: [ownedBy] } });
      if (left.length === 0) return;
    } catch {
      engine = connectEngine();
      engine.catch(() => {});
    }
    await sleep(RETRY_MS);
  }
}

let reaping = false;
function reap(): void {
  if (reaping) return;
  reaping = true;
  void removeOwnerLeftovers().finally(() => process.exit(0));
}

process.on('disconnect', reap);
// soak may have gone while this module was still loading: that disconnect reached no listener.
if (!process.connected) reap();

// A Ctrl-C reaching soak's whole process group must leave the reaper to do its job afterwards.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
