import type { LoadInterval } from '../../store/records.js';

/**
 * One definition of each load figure, used by every detector, budget, table and chart.
 *
 * A record counts `completed` responses of any status, `errors` (5xx responses and requests that got
 * no response), `timeouts` apart from both, `sent` (every arrival that left the schedule) and
 * `outcomes` (each request that ended, once, by status class or error code).
 */
export interface LoadCounts {
  sent: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Requests that ended in the stretch (the sum of its outcomes); 0 where outcomes are not kept (endpoints). */
  ended: number;
  /** Responses that were not server errors. */
  served: number;
}

/** What every stretch of load adds up: its counts, intervals, time covered and outcomes. */
export interface LoadSums extends LoadCounts {
  intervals: number;
  scheduled: number;
  spanMs: number;
  /** The earliest moment covered (its first interval's start), and the last interval's end. */
  from: number;
  t: number;
  outcomes: Record<string, number>;
}

export const emptySums = (): LoadSums => ({ intervals: 0, scheduled: 0, sent: 0, completed: 0, errors: 0, timeouts: 0, ended: 0, served: 0, spanMs: 0, from: Infinity, t: -Infinity, outcomes: {} });

type Summed = Pick<LoadInterval, 't' | 'span' | 'sent' | 'completed' | 'errors' | 'timeouts' | 'outcomes'> & { scheduled?: number };

/** Adds one interval (or an endpoint's share of one, with no outcomes) into `into`, allocating nothing: it runs per record. */
export function addInterval(into: LoadSums, interval: Summed): void {
  let ended = 0;
  for (const outcome in interval.outcomes) {
    const count = interval.outcomes[outcome]!;
    ended += count;
    into.outcomes[outcome] = (into.outcomes[outcome] ?? 0) + count;
  }
  into.intervals += 1;
  into.scheduled += interval.scheduled ?? 0;
  into.sent += interval.sent;
  into.completed += interval.completed;
  into.errors += interval.errors;
  into.timeouts += interval.timeouts;
  into.ended += ended;
  into.served += servedIn(interval);
  into.spanMs += interval.span;
  into.from = Math.min(into.from, interval.t - interval.span);
  into.t = Math.max(into.t, interval.t);
}

/** Adds `from` into `into`: the one place sums of load are added up. */
export function addSums(into: LoadSums, from: LoadSums): void {
  into.intervals += from.intervals;
  into.scheduled += from.scheduled;
  into.sent += from.sent;
  into.completed += from.completed;
  into.errors += from.errors;
  into.timeouts += from.timeouts;
  into.ended += from.ended;
  into.served += from.served;
  into.spanMs += from.spanMs;
  into.from = Math.min(into.from, from.from);
  into.t = Math.max(into.t, from.t);
  for (const outcome in from.outcomes) into.outcomes[outcome] = (into.outcomes[outcome] ?? 0) + from.outcomes[outcome]!;
}

export const failedOf = (counts: Pick<LoadCounts, 'errors' | 'timeouts'>): number => counts.errors + counts.timeouts;

/**
 * The requests a stretch answers for: those sent in it, or those that ended in it when more did (a
 * stall ends requests sent before it, and their timeouts land after it). So an error rate is never
 * above 100 %, and over a whole run it is failures over requests sent.
 */
export const requestsOf = (counts: LoadCounts): number => Math.max(counts.sent, counts.ended, failedOf(counts));

/** Failed (errors and timeouts) over the stretch's requests; null when it had none. */
export function errorRateOf(counts: LoadCounts): number | null {
  const requests = requestsOf(counts);
  return requests > 0 ? failedOf(counts) / requests : null;
}

export const endedIn = (interval: Pick<LoadInterval, 'outcomes'>): number => Object.values(interval.outcomes).reduce((sum, count) => sum + count, 0);

/** A service answering every request with a quick 500 is as fast as ever but serves nothing. */
export const servedIn = (interval: Pick<LoadInterval, 'completed' | 'outcomes'>): number => interval.completed - (interval.outcomes['5xx'] ?? 0);

export function countsOf(interval: Pick<LoadInterval, 'sent' | 'completed' | 'errors' | 'timeouts' | 'outcomes'>): LoadCounts {
  return { sent: interval.sent, completed: interval.completed, errors: interval.errors, timeouts: interval.timeouts, ended: endedIn(interval), served: servedIn(interval) };
}

/** Per second over `spanMs` of recorded time. */
export const perSecond = (count: number, spanMs: number): number => (spanMs > 0 ? (count * 1000) / spanMs : 0);

/**
 * Throughput of several streams: each stream's count per second over the time its own intervals
 * cover, summed, since streams run side by side.
 */
export function throughputOf(parts: Iterable<{ stream: string; count: number; spanMs: number }>): number {
  const streams = new Map<string, { count: number; spanMs: number }>();
  for (const part of parts) {
    const stream = streams.get(part.stream) ?? { count: 0, spanMs: 0 };
    stream.count += part.count;
    stream.spanMs += part.spanMs;
    streams.set(part.stream, stream);
  }
  let total = 0;
  for (const stream of streams.values()) total += perSecond(stream.count, stream.spanMs);
  return total;
}
