import type { FromThread, ThreadSetup, ToThread } from '../load/threads/messages.js';

/**
 * The coordinator's wire protocol: one JSON object per line over one TCP connection per peer.
 * A worker carries the same messages a driver thread EXCHANGES with its host (load/threads/
 * messages.ts), so a remote worker merges exactly as a local thread does; around them, the hello
 * with the run's token, the clock exchange and heartbeats.
 */

export type PeerRole = 'worker' | 'probe';

/** A peer's first line. Nothing else it sends is read before the token is checked. */
export interface Hello {
  type: 'hello';
  role: PeerRole;
  token: string;
  /** The worker's or probed service's name, for events (host and pid for a worker). */
  name: string;
}

/** A worker's setup: the thread setup of its share, with what a thread knows without being told. */
export interface WorkerSetup {
  type: 'setup';
  setup: ThreadSetup;
  /** The load driver's kind (http, ws). */
  kind: string;
  /** Driver threads the worker spreads its share over. */
  threads: number;
}

/** Coordinator to worker. `clock` asks for the worker's time now; `start.at` is in the coordinator's time. */
export type ToWorker = Exclude<ToThread, { type: 'setup' }> | WorkerSetup | { type: 'clock'; id: number };

/** Worker to coordinator. */
export type FromWorker = FromThread | { type: 'heartbeat' } | { type: 'clock'; id: number; at: number };

/** The time both ends exchange: ms since the epoch, sub-ms precise (performance.timeOrigin + now). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export function isHello(value: unknown): value is Hello {
  const hello = value as Partial<Hello> | undefined;
  return typeof hello === 'object' && hello !== null && hello.type === 'hello' && (hello.role === 'worker' || hello.role === 'probe') && typeof hello.token === 'string' && typeof hello.name === 'string';
}
