// Report API that runs an external analysis tool for each request (seed 002 #2: "8 API endpoints
// spawning a new process per request: 1,000 users = 1,000 processes = OOM"; fixed there by a task
// queue with at most 4 processes).
//
// POST /analyse {input}  -> the tool's JSON result (~400 ms of tool time)
//
// buggy: spawns `node task.js <input>` per request. Concurrent requests mean as many processes,
//        each ~50 MB RSS and its own start-up CPU: memory and CPU scale with the load until the
//        box gives out.
// fixed: WORKERS (4) long-lived forked tool processes fed from a FIFO queue; at most QUEUE_MAX
//        queued jobs, beyond that 503 at once. The process count stays at 4 whatever the load.
// Both variants kill their tool processes on SIGTERM.
const { fork, spawn } = require('node:child_process');
const path = require('node:path');
const { HttpError, createHttpServer, readJson } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant } = require('../lib/lifecycle.js');

const variant = readVariant();
const workerCount = envInt('WORKERS', 4);
const queueMax = envInt('QUEUE_MAX', 200);
const taskScript = path.join(__dirname, 'task.js');

const stats = { running: 0, peakRunning: 0, queued: 0, peakQueued: 0, processed: 0, failed: 0, rejected: 0 };

/** Buggy: one fresh process per request. */
const spawned = new Set();
function runPerRequest(input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [taskScript, input], { stdio: ['ignore', 'pipe', 'inherit'] });
    spawned.add(child);
    stats.running = spawned.size;
    stats.peakRunning = Math.max(stats.peakRunning, spawned.size);
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.on('error', reject);
    child.on('close', (code) => {
      spawned.delete(child);
      stats.running = spawned.size;
      if (code === 0) resolve(JSON.parse(output));
      else reject(new Error(`task exited with code ${code}`));
    });
  });
}

/** Fixed: a fixed set of long-lived tool processes and a bounded FIFO queue in front of them. */
class TaskQueue {
  constructor(size, max) {
    this.max = max;
    this.waiting = [];
    this.idle = [];
    this.pending = new Map();
    this.nextJobId = 0;
    this.closed = false;
    this.workers = Array.from({ length: size }, () => this.startWorker());
  }

  startWorker() {
    const worker = fork(taskScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    worker.on('message', ({ jobId, result, error }) => {
      const job = this.pending.get(jobId);
      this.pending.delete(jobId);
      if (error) job.reject(new Error(error));
      else job.resolve(result);
      this.release(worker);
    });
    worker.on('exit', (code, signal) => {
      if (this.closed) return;
      console.error(`task worker ${worker.pid} exited (${signal ?? code}); starting another`);
      for (const [jobId, job] of this.pending) {
        if (job.worker === worker) {
          this.pending.delete(jobId);
          job.reject(new Error('task worker died'));
        }
      }
      this.idle = this.idle.filter((idle) => idle !== worker);
      this.workers[this.workers.indexOf(worker)] = this.startWorker();
    });
    this.idle.push(worker);
    return worker;
  }

  run(input) {
    if (this.waiting.length >= this.max) throw new HttpError(503, `task queue full (${this.max} waiting)`);
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.updateStats();
      this.dispatch();
    });
  }

  dispatch() {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop();
      const job = { ...this.waiting.shift(), worker };
      const jobId = this.nextJobId++;
      this.pending.set(jobId, job);
      worker.send({ jobId, input: job.input });
    }
    this.updateStats();
  }

  release(worker) {
    this.idle.push(worker);
    this.dispatch();
  }

  updateStats() {
    stats.queued = this.waiting.length;
    stats.peakQueued = Math.max(stats.peakQueued, this.waiting.length);
    stats.running = this.pending.size;
    stats.peakRunning = Math.max(stats.peakRunning, this.pending.size);
  }

  close() {
    this.closed = true;
    for (const job of this.waiting) job.reject(new HttpError(503, 'shutting down'));
    return Promise.all(this.workers.map(stopProcess));
  }
}

/** SIGTERM, and SIGKILL if it is still there a second later. */
function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const queue = variant === 'fixed' ? new TaskQueue(workerCount, queueMax) : undefined;
const analyse = (input) => (queue ? queue.run(input) : runPerRequest(input));

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'POST',
    '/analyse',
    async ({ req }) => {
      const { input } = await readJson(req);
      if (typeof input !== 'string' || input.length > 1000) throw new HttpError(400, 'expected {input: string of at most 1000 characters}');
      try {
        const result = await analyse(input);
        stats.processed += 1;
        return result;
      } catch (error) {
        if (error.status === 503) stats.rejected += 1;
        else stats.failed += 1;
        throw error;
      }
    },
  ],
  ['GET', '/stats', () => ({ variant, ...stats, workers: queue ? workerCount : undefined })],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  ['tool processes', () => (queue ? queue.close() : Promise.all([...spawned].map(stopProcess)))],
]);

listen(server).then((port) => console.log(`process-per-request (${variant}) listening on 127.0.0.1:${port}`));
