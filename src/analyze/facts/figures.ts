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
