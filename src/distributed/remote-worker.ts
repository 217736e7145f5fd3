import type { Socket } from 'node:net';
import type { FromThread } from '../load/threads/messages.js';
import type { DriverWorker } from '../load/threads/workers.js';
import type { FromWorker, ToWorker } from './protocol.js';

/** How long a worker may say nothing (it sends a heartbeat every second) before it counts as lost. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5000;

/** A worker's connection once it has passed the token and its clock was read. */
export interface WorkerPeer {
  socket: Socket;
  name: string;
  /** Its clock minus the coordinator's, ms. */
  skewMs: number;
  /** Where its lines go from now on. */
  onLine(handler: (message: FromWorker) => void): void;
}

/**
 * A soak worker process, elsewhere, as the stream host sees a driver worker (load/threads): the
 * same messages, over its connection. Times cross in the coordinator's clock: the start time goes
 * out shifted into the worker's clock and interval times come back shifted out of it, so intervals
 * line up by the coordinator's time whatever the worker's clock says. Silence longer than the
 * heartbeat timeout, or the connection closing, ends it as lost.
 */
export function remoteWorker(peer: WorkerPeer, kind: string, threads: number, heartbeatTimeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS): DriverWorker {
  const listeners: ((message: FromThread) => void)[] = [];
  const endListeners: ((error?: Error) => void)[] = [];
  let ended = false;
  const end = (error: Error) => {
    if (ended) return;
    ended = true;
    clearInterval(watchdog);
    peer.socket.destroy();
    for (const listener of endListeners) listener(error);
  };
  let heardAt = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - heardAt > heartbeatTimeoutMs) end(new Error(`no heartbeat for ${heartbeatTimeoutMs / 1000}s`));
  }, Math.min(1000, heartbeatTimeoutMs / 2));
  peer.socket.on('close', () => end(new Error('connection closed')));
  peer.onLine((message) => {
    heardAt = Date.now();
    if (message.type === 'heartbeat' || message.type === 'clock') return;
    const shifted = message.type === 'interval' ? { ...message, record: { ...message.record, t: Math.round(message.record.t - peer.skewMs) } } : message;
    for (const listener of listeners) listener(shifted);
  });
  const write = (message: ToWorker) => {
    if (!ended && peer.socket.writable) peer.socket.write(`${JSON.stringify(message)}\n`);
  };
  return {
    send: (message) => {
      if (message.type === 'setup') write({ type: 'setup', setup: message.setup, kind, threads });
      else if (message.type === 'start') write({ type: 'start', at: message.at + peer.skewMs });
      else write(message);
    },
    onMessage: (listener) => listeners.push(listener),
    onEnd: (listener) => endListeners.push(listener),
    stop: () => {
      if (ended) return;
      ended = true;
      clearInterval(watchdog);
      peer.socket.end();
    },
  };
}
