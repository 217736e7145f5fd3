/**
 * soak's own reaper, in place of testcontainers' Ryuk: a small process forked by the first soak
 * process that starts a container. It waits for the IPC channel to that soak process to close —
 * soak exited, crashed, was killed with SIGKILL, or quit on a second Ctrl-C — and then removes
 * every container and image labelled with soak's owner id (argv[2]).
 */
import { connectEngine } from './engine.js';
import { label } from './labels.js';
import { removeOwned } from './leftovers.js';

const owner = process.argv[2]!;
const engine = connectEngine();
engine.catch(() => process.exit(1));

process.on('disconnect', () => {
  engine
    .then(({ docker }) => removeOwned(docker, (found) => found === owner, `${label.owner}=${owner}`))
    .finally(() => process.exit(0));
});

// A Ctrl-C reaching soak's whole process group must leave the reaper to do its job afterwards.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
