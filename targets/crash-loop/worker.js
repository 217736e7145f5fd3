// The backend worker the supervisor forks (the seed's Python backend). It answers jobs over IPC at
// once, and WORKER_CRASH_AFTER_MS (default 2 s) after start runs its first sync with a dependency
// at DEPENDENCY_URL (default tcp://127.0.0.1:1, where nothing listens). The connection is refused,
// the error is not handled, and the worker dies with exit code 1: what happens when a dependency
// is down or misconfigured. With a reachable dependency it keeps running.
const net = require('node:net');

const crashAfterMs = Number(process.env.WORKER_CRASH_AFTER_MS ?? 2000);
const dependency = new URL(process.env.DEPENDENCY_URL ?? 'tcp://127.0.0.1:1');

function syncWithDependency() {
  const socket = net.connect({ host: dependency.hostname, port: Number(dependency.port) });
  socket.once('connect', () => socket.end());
  // No 'error' listener: a refused connection throws from the socket and takes the process down.
}

process.on('message', ({ jobId, n }) => {
  let total = 0;
  for (let i = 0; i < n; i += 1) total += Math.sqrt(i);
  process.send({ jobId, result: { n, total, pid: process.pid } });
});
process.on('disconnect', () => process.exit(0));
setTimeout(syncWithDependency, crashAfterMs);
process.send({ type: 'ready' });
