import type { LoadInterval } from '../../store/records.js';
import type { Share } from '../share.js';
import type { Phase } from '../types.js';

/**
 * What a driver worker is given first: its share of one stream, with the stream's options as
 * validated. Every message here is plain data (structured-cloneable and JSON), whatever carries it.
 */
export interface ThreadSetup {
  options: unknown;
  baseUrl: string;
  stream: string;
  phases: Phase[];
  intervalMs: number;
  share: Share;
}

/** Host to thread. `start.at` is an absolute time (performance.timeOrigin + now), the same instant for every thread. */
export type ToThread = { type: 'setup'; setup: ThreadSetup } | { type: 'start'; at: number } | { type: 'flush' } | { type: 'abort' };

/** Thread to host. */
export type FromThread =
  | { type: 'ready' }
  | { type: 'interval'; record: LoadInterval }
  | { type: 'phase'; index: number }
  | { type: 'done' }
  | { type: 'error'; code?: string; message: string };
