// A supervisor that serves HTTP and forks the worker that does the real work (seed 000 #1:
// "restart after 5 seconds if it crashes ... no exponential backoff or max restart count").
//
// GET /health       200 always, with the worker's state, pid and restart count
// GET /work?n=1000  forwarded to the worker; 503 while there is no worker
//
// buggy: restarts a crashed worker every RESTART_DELAY_MS (1 s; 5 s in the seed) forever: the
//        worker comes up, dies, comes up... CPU and log spam without end, 503s in every gap.
// fixed: restarts after 1, 2, 4, 8 s (RESTART_DELAY_MS doubling), and after MAX_RESTARTS (4)
//        failed restarts gives up: logs why and exits 1, so whatever runs the service sees a
//        clear failure instead of a flapping one. A worker that stays up for STABLE_AFTER_MS
//        (30 s) resets the count.
const { fork } = require('node:child_process');
const path = require('node:path');
const { HttpError, createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant } = require('../lib/lifecycle.js');

const variant = readVariant();
const restartDelayMs = envInt('RESTART_DELAY_MS', 1000);
const maxRestarts = envInt('MAX_RESTARTS', 4);
const stableAfterMs = envInt('STABLE_AFTER_MS', 30_000);
const workerScript = path.join(__dirname, 'worker.js');

const state = { status: 'starting', pid: undefined, starts: 0, restarts: 0, failedInARow: 0, lastExit: undefined };
let worker;
let restartTimer;
let shuttingDown = false;
const pending = new Map();
let nextJobId = 0;

function startWorker() {
  restartTimer = undefined;
  state.status = 'starting';
  state.starts += 1;
  const startedAt = Date.now();
  const child = fork(workerScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  worker = child;
  state.pid = child.pid;
  child.on('message', (message) => {
    if (message.type === 'ready') {
      state.status = 'up';
      return;
    }
    const job = pending.get(message.jobId);
    pending.delete(message.jobId);
    job?.resolve(message.result);
  });
  child.on('exit', (code, signal) => {
    worker = undefined;
    state.status = 'down';
    state.pid = undefined;
    state.lastExit = { code, signal, at: new Date().toISOString(), upMs: Date.now() - startedAt };
    for (const [jobId, job] of pending) {
      pending.delete(jobId);
      job.reject(new HttpError(503, 'worker died while handling the request'));
    }
    if (shuttingDown) return;
    if (Date.now() - startedAt >= stableAfterMs) state.failedInARow = 0;
    scheduleRestart(code, signal);
  });
}

function scheduleRestart(code, signal) {
  const how = signal ?? `code ${code}`;
  if (variant === 'buggy') {
    console.error(`[supervisor] worker exited (${how}); restarting in ${restartDelayMs} ms`);
    restartTimer = setTimeout(() => {
      state.restarts += 1;
      startWorker();
    }, restartDelayMs);
    return;
  }
  if (state.failedInARow >= maxRestarts) {
    console.error(`[supervisor] worker exited (${how}) after ${state.failedInARow} restarts in a row; giving up. Check the worker's dependency (DEPENDENCY_URL).`);
    state.status = 'failed';
    stop('worker failed', 1);
    return;
  }
  const delay = restartDelayMs * 2 ** state.failedInARow;
  state.failedInARow += 1;
  console.error(`[supervisor] worker exited (${how}); restart ${state.failedInARow}/${maxRestarts} in ${delay} ms`);
  restartTimer = setTimeout(() => {
    state.restarts += 1;
    startWorker();
  }, delay);
}

function runJob(n) {
  // A dying worker closes its IPC channel before its 'exit' event: the status may still say up.
  if (!worker || state.status !== 'up' || !worker.connected) throw new HttpError(503, `worker is ${state.status}`);
  return new Promise((resolve, reject) => {
    const jobId = nextJobId++;
    pending.set(jobId, { resolve, reject });
    worker.send({ jobId, n }, (error) => {
      if (!error || !pending.delete(jobId)) return;
      reject(new HttpError(503, 'worker went away before taking the job'));
    });
  });
}

function stopWorker() {
  clearTimeout(restartTimer);
  const child = worker;
  if (!child) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant, worker: state })],
  [
    'GET',
    '/work',
    ({ query }) => {
      const n = Number(query.get('n') ?? 1000);
      if (!Number.isInteger(n) || n < 0 || n > 1e7) throw new HttpError(400, 'n must be an integer from 0 to 10000000');
      return runJob(n);
    },
  ],
]);

async function stop(reason, code) {
  shuttingDown = true;
  await stopWorker();
  await closeServer(server);
  console.error(`[supervisor] stopped: ${reason}`);
  process.exit(code);
}

onShutdown([
  ['worker', () => {
    shuttingDown = true;
    return stopWorker();
  }],
  ['http server', () => closeServer(server)],
]);

listen(server).then((port) => {
  console.log(`crash-loop (${variant}) listening on 127.0.0.1:${port}`);
  startWorker();
});
