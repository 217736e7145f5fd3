import type { Socket } from 'node:net';
import { wallNow, type FromWorker } from './protocol.js';

/** Exchanges per worker; the one with the shortest round trip bounds the skew most tightly. */
const EXCHANGES = 5;
const REPLY_TIMEOUT_MS = 3000;

export interface Skew {
  /** The peer's clock minus the coordinator's, ms. */
  skewMs: number;
  /** The round trip of the exchange it was read from: the skew is known to within half of it. */
  rttMs: number;
}

/**
 * Reads a worker's clock against the coordinator's as NTP does: the worker's time at the middle of
 * the round trip, from the exchange with the shortest round trip. Undefined when it does not answer.
 */
export async function measureSkew(socket: Socket, listen: (handler: (message: FromWorker) => void) => void): Promise<Skew | undefined> {
  let best: Skew | undefined;
  for (let id = 1; id <= EXCHANGES; id += 1) {
    const sentAt = wallNow();
    const theirs = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), REPLY_TIMEOUT_MS);
      listen((message) => {
        if (message.type !== 'clock' || message.id !== id) return;
        clearTimeout(timer);
        resolve(message.at);
      });
      socket.write(`${JSON.stringify({ type: 'clock', id })}\n`);
    });
    if (theirs === undefined) return undefined;
    const receivedAt = wallNow();
    const rttMs = receivedAt - sentAt;
    if (!best || rttMs < best.rttMs) best = { skewMs: theirs - (sentAt + receivedAt) / 2, rttMs };
  }
  return best;
}
