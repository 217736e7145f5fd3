import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { isSoakError, SoakError } from '../core/errors.js';
import { parseLine, readLines } from '../core/json-lines.js';
import { openStream, type StreamRun } from '../load/threads/host.js';
import { wallNow, type FromWorker, type ToWorker, type WorkerSetup } from './protocol.js';

const HEARTBEAT_MS = 1000;

export interface WorkerOptions {
  host: string;
  port: number;
  token: string;
  /** How long to keep trying to reach the coordinator (a swarm task or pod may start before it listens). */
  connectTimeoutMs: number;
}

function connectOnce(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function reach(options: WorkerOptions): Promise<Socket> {
  const deadline = Date.now() + options.connectTimeoutMs;
  for (;;) {
    try {
      return await connectOnce(options.host, options.port);
    } catch (error) {
      if (Date.now() > deadline) throw new SoakError('runtime', `cannot reach the coordinator at ${options.host}:${options.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * `soak worker`: connects out to the coordinator (soak run), passes the token, answers its clock,
 * and drives the share it is given on its own driver threads exactly as the run would on its own
 * (load/threads/host.ts), sending the merged intervals back. It heartbeats while connected and
 * ends when its share is done or the coordinator goes away.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const socket = await reach(options);
  socket.setNoDelay(true);
  const send = (message: FromWorker | Record<string, unknown>) => socket.writable && socket.write(`${JSON.stringify(message)}\n`);
  send({ type: 'hello', role: 'worker', token: options.token, name: `${hostname()}/${process.pid}` });
  const heartbeat = setInterval(() => send({ type: 'heartbeat' }), HEARTBEAT_MS);
  const abort = new AbortController();
  let stream: StreamRun | undefined;

  const serve = (setup: WorkerSetup) => {
    stream = openStream(
      setup.kind,
      setup.setup.options,
      {
        ...setup.setup,
        signal: abort.signal,
        onInterval: (record) => send({ type: 'interval', record }),
        onPhase: (_phase, index) => send({ type: 'phase', index }),
      },
      setup.threads,
    );
    void stream.ready.then(() => send({ type: 'ready' }));
    stream.done.then(
      () => send({ type: 'done' }),
      (error: unknown) => send({ type: 'error', message: (error as Error).message, ...(isSoakError(error) ? { code: error.code } : {}) }),
    ).finally(() => socket.end());
  };

  await new Promise<void>((resolve) => {
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearInterval(heartbeat);
      abort.abort();
      resolve();
    });
    readLines(socket, (line) => {
      const message = parseLine(line) as ToWorker | undefined;
      if (!message || typeof message !== 'object') return;
      if (message.type === 'clock') send({ type: 'clock', id: message.id, at: wallNow() });
      else if (message.type === 'setup') serve(message);
      else if (message.type === 'start') stream?.start(message.at);
      else if (message.type === 'flush') stream?.flush();
      else if (message.type === 'abort') abort.abort();
    });
  });
  if (!stream) throw new SoakError('runtime', `the coordinator at ${options.host}:${options.port} closed the connection before giving this worker a share (a wrong token is refused so, and logged by the run)`);
  await stream.done.catch(() => {});
}
