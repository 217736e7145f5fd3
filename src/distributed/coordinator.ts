import { createServer, type Socket } from 'node:net';
import { parseLine, readLines } from '../core/json-lines.js';
import { SoakError } from '../core/errors.js';
import type { ProbeCollector } from '../probe/index.js';
import type { RunEvent } from '../store/records.js';
import { formatAddress } from './address.js';
import { measureSkew } from './clock.js';
import { isHello, type FromWorker, type Hello } from './protocol.js';
import type { WorkerPeer } from './remote-worker.js';
import { tokenMatches } from '../core/token.js';

/** A peer must say hello this soon after connecting. */
const HELLO_TIMEOUT_MS = 5000;
const REFUSAL_LOG_EVERY_MS = 60_000;

export interface CoordinatorOptions {
  /** Where to listen; loopback unless the user gave an address (--listen). */
  host: string;
  port: number;
  token: string;
  event(record: RunEvent): void;
  /** Where remote probes' lines go once they pass the token. */
  probes?: ProbeCollector;
}

export interface Coordinator {
  /** "host:port" it listens on. */
  address: string;
  /** The next `count` workers to pass the token (those already waiting first); fails after `timeoutMs` or once `signal` aborts. */
  claimWorkers(count: number, timeoutMs: number, signal: AbortSignal): Promise<WorkerPeer[]>;
  close(): Promise<void>;
}

/**
 * The run's end of soak workers and remote probes: one TCP server where every peer's first line is
 * a hello carrying the run's token. A peer without it, or with another, is logged and cut off
 * before anything else it sent is read. Workers then have their clock read and wait to be claimed
 * by a stream; probes' lines go to the probe collector, as a local target's do.
 */
export async function startCoordinator(options: CoordinatorOptions): Promise<Coordinator> {
  const idle: WorkerPeer[] = [];
  const claims: { count: number; resolve(peers: WorkerPeer[]): void }[] = [];
  const sockets = new Set<Socket>();
  const serveClaims = () => {
    while (claims.length > 0 && idle.length >= claims[0]!.count) {
      const claim = claims.shift()!;
      claim.resolve(idle.splice(0, claim.count));
    }
  };

  // A refused probe retries every few seconds for as long as it runs: each host and reason is logged once a minute at most.
  const refusals = new Map<string, { loggedAt: number; since: number }>();
  const refuse = (socket: Socket, reason: string) => {
    socket.destroy();
    const key = `${socket.remoteAddress}\u0000${reason}`;
    const now = Date.now();
    const seen = refusals.get(key);
    if (seen && now - seen.loggedAt < REFUSAL_LOG_EVERY_MS) {
      seen.since += 1;
      return;
    }
    refusals.set(key, { loggedAt: now, since: 0 });
    options.event({ t: now, type: 'peer-refused', address: `${socket.remoteAddress}:${socket.remotePort}`, reason, ...(seen?.since ? { since: seen.since } : {}) });
  };

  const welcome = async (socket: Socket, hello: Hello, route: (handler: (line: string) => void) => void) => {
    const address = `${socket.remoteAddress}:${socket.remotePort}`;
    if (hello.role === 'probe') {
      if (!options.probes) return refuse(socket, 'no probes are expected by this run');
      // A probe samples and sends at once, so a sample's arrival is its time in the coordinator's clock
      // (within the network's latency); the skew of its first sample is what is recorded.
      let joined = false;
      route(
        options.probes.accept(socket, (t) => {
          const now = Date.now();
          if (!joined) options.event({ t: now, type: 'peer-joined', role: 'probe', name: hello.name, address, skewMs: t - now });
          joined = true;
          return now;
        }),
      );
      return;
    }
    let onMessage: (message: FromWorker) => void = () => {};
    route((line) => {
      const value = parseLine(line);
      if (typeof value === 'object' && value !== null) onMessage(value as FromWorker);
    });
    const listen = (handler: (message: FromWorker) => void) => (onMessage = handler);
    const skew = await measureSkew(socket, listen);
    if (!skew) return refuse(socket, `worker "${hello.name}" did not answer the clock exchange`);
    options.event({ t: Date.now(), type: 'peer-joined', role: 'worker', name: hello.name, address, skewMs: round(skew.skewMs), rttMs: round(skew.rttMs) });
    idle.push({ socket, name: hello.name, skewMs: skew.skewMs, onLine: listen });
    socket.once('close', () => {
      const at = idle.findIndex((peer) => peer.socket === socket);
      if (at >= 0) idle.splice(at, 1);
    });
    serveClaims();
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    const timer = setTimeout(() => refuse(socket, 'no hello'), HELLO_TIMEOUT_MS);
    let handler = (line: string) => {
      clearTimeout(timer);
      handler = () => {};
      const hello = parseLine(line);
      if (!isHello(hello)) return refuse(socket, 'its first line is not a hello with a token');
      if (!tokenMatches(hello.token, options.token)) return refuse(socket, `wrong token from ${hello.role} "${hello.name}"`);
      void welcome(socket, hello, (next) => (handler = next));
    };
    socket.once('close', () => clearTimeout(timer));
    readLines(socket, (line) => handler(line));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new SoakError('usage', `--listen ${options.host}:${options.port}: ${error.code ?? error.message}`)));
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    address: formatAddress({ host: options.host, port }),
    claimWorkers: (count, timeoutMs, signal) =>
      new Promise<WorkerPeer[]>((resolve, reject) => {
        const settle = (error?: Error, peers?: WorkerPeer[]) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          const at = claims.indexOf(claim);
          if (at >= 0) claims.splice(at, 1);
          if (error) reject(error);
          else resolve(peers!);
        };
        const timer = setTimeout(() => settle(new SoakError('load', `only ${idle.length} of ${count} soak workers connected within ${Math.round(timeoutMs / 1000)}s`)), timeoutMs);
        const onAbort = () => settle(new SoakError('load', `stopped while waiting for ${count} soak workers (${idle.length} connected)`));
        const claim = { count, resolve: (peers: WorkerPeer[]) => settle(undefined, peers) };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        claims.push(claim);
        serveClaims();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
