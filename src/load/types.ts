import type { z } from 'zod';
import type { Phase } from '../scenario/types.js';
import type { LoadInterval } from '../store/records.js';
import type { IntervalClock } from './clock.js';
import type { Share } from './share.js';

export type { Phase } from '../scenario/types.js';

export interface LoadContext {
  /** e.g. http://127.0.0.1:41234 — already checked to be loopback unless the user allowed otherwise. */
  baseUrl: string;
  stream: string;
  phases: Phase[];
  /** Interval length for records, ms (default 1000). */
  intervalMs: number;
  /** Called once per interval with that interval's figures; the store appends it to disk. */
  onInterval(record: LoadInterval): void;
  /** Called when a phase begins, so the run can log it as an event. */
  onPhase(phase: Phase, index: number): void;
  /** Aborted on Ctrl-C, on abortOnFail, or when the target dies; the driver must stop promptly. */
  signal: AbortSignal;
  /** The part of the stream this driver sends when several driver threads share it (default: all of it). */
  share?: Share;
  /** When intervals end (default: every intervalMs); the thread host ends its threads' intervals together so they merge. */
  clock?: IntervalClock;
  /** When the stream's clock starts, a performance.now() time of this thread (default: when run is called), so threads sharing a stream share its schedule. */
  startAt?: number;
}

/**
 * A kind of load (http, ws). The options are the stream's own fields from the scenario,
 * validated by `schema`; `run` resolves when every phase has ended or the signal aborted.
 */
export interface LoadDriver<Options = unknown> {
  kind: string;
  schema: z.ZodType<Options>;
  run(options: Options, context: LoadContext): Promise<void>;
  /** The module a driver thread starts from: it serves `run` (threads/thread.ts) and loads nothing else. */
  thread: URL;
  /** How many driver threads' worth of work the stream is (fractional): what its default number of threads follows. */
  demand(options: Options, phases: Phase[]): number;
  /** The most sockets the stream holds open at once: files the process that drives it must be allowed. */
  sockets(options: Options, phases: Phase[]): number;
}

/**
 * What the http driver adds to each LoadInterval it writes (readers that do not know the fields ignore them).
 * Open model only; the closed model writes zeros.
 */
export interface BacklogFields {
  /** Arrivals sent in the interval after waiting for a free slot under maxInflight; their latency still counts from their intended time. */
  late: number;
  /** Arrivals waiting for a free slot at the interval's end. */
  queued: number;
}
