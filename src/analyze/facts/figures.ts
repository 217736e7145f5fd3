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
  /**
   * Requests whose outcome is known in the stretch: those that ended in it (the sum of its outcomes). An
   * endpoint's share keeps no outcomes: there it is an estimate (LoadTally.addShare).
   */
  ended: number;
  /** Successful responses: those that were not server errors. */
  served: number;
}

/** What every stretch of load adds up: its counts, intervals, time covered and outcomes. */
export interface LoadSums extends LoadCounts {
  /** Timeouts entered in the latency histograms at their timeout (lower bounds); 0 in runs before they were. */
  censored: number;
  intervals: number;
  scheduled: number;
  spanMs: number;
  /** The earliest moment covered (its first interval's start), and the last interval's end. */
  from: number;
  t: number;
  outcomes: Record<string, number>;
}

export const emptySums = (): LoadSums => ({ censored: 0, intervals: 0, scheduled: 0, sent: 0, completed: 0, errors: 0, timeouts: 0, ended: 0, served: 0, spanMs: 0, from: Infinity, t: -Infinity, outcomes: {} });

type Summed = Pick<LoadInterval, 't' | 'span' | 'sent' | 'completed' | 'errors' | 'timeouts' | 'censored' | 'outcomes'> & { scheduled?: number; ended?: number };

/** Adds one interval (or an endpoint's share of one, with no outcomes but its `ended`) into `into`, allocating nothing: it runs per record. */
export function addInterval(into: LoadSums, interval: Summed): void {
  let ended = 0;
  for (const outcome in interval.outcomes) {
    const count = interval.outcomes[outcome]!;
    ended += count;
    into.outcomes[outcome] = (into.outcomes[outcome] ?? 0) + count;
  }
  if (interval.ended !== undefined) ended = interval.ended;
  into.intervals += 1;
  into.scheduled += interval.scheduled ?? 0;
  into.sent += interval.sent;
  into.completed += interval.completed;
  into.errors += interval.errors;
  into.timeouts += interval.timeouts;
  into.censored += interval.censored ?? 0;
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
  into.censored += from.censored;
  into.ended += from.ended;
  into.served += from.served;
  into.spanMs += from.spanMs;
  into.from = Math.min(into.from, from.from);
  into.t = Math.max(into.t, from.t);
  for (const outcome in from.outcomes) into.outcomes[outcome] = (into.outcomes[outcome] ?? 0) + from.outcomes[outcome]!;
}

export const failedOf = (counts: Pick<LoadCounts, 'errors' | 'timeouts'>): number => counts.errors + counts.timeouts;

/**
 * The requests a stretch answers for: those whose outcome is known in it, counted when they ended, as its
 * failures are. Requests sent in a stretch end in a later one when the service stalls (a timeout lands
 * its timeout after the send), so failures over requests *sent* could pass 100 %; over requests *ended*
 * they cannot. Requests still in flight when the run stopped have no outcome and count in neither.
 */
export const requestsOf = (counts: LoadCounts): number => Math.max(counts.ended, failedOf(counts));

/** Failed (errors and timeouts) over the stretch's requests whose outcome is known; null when it had none. */
export function errorRateOf(counts: LoadCounts): number | null {
  const requests = requestsOf(counts);
  return requests > 0 ? failedOf(counts) / requests : null;
}

export const endedIn = (interval: Pick<LoadInterval, 'outcomes'>): number => Object.values(interval.outcomes).reduce((sum, count) => sum + count, 0);

/** Successful responses. A service answering every request with a quick 500 is as fast as ever but serves nothing. */
export const servedIn = (interval: Pick<LoadInterval, 'completed' | 'outcomes'>): number => interval.completed - (interval.outcomes['5xx'] ?? 0);

export function countsOf(interval: Pick<LoadInterval, 'sent' | 'completed' | 'errors' | 'timeouts' | 'outcomes'>): LoadCounts {
  return { sent: interval.sent, completed: interval.completed, errors: interval.errors, timeouts: interval.timeouts, ended: endedIn(interval), served: servedIn(interval) };
}

/** Per second over `spanMs` of recorded time. */
export const perSecond = (count: number, spanMs: number): number => (spanMs > 0 ? (count * 1000) / spanMs : 0);

/** Throughput: successful responses per second; attempted: requests sent per second, shown beside it. */
export interface Rates {
  throughput: number;
  attempted: number;
}

/** A stretch of one stream: what it served and sent, over the time its intervals cover. */
export interface StreamStretch {
  stream: string;
  served: number;
  sent: number;
  spanMs: number;
}

/** Throughput and attempts of one stretch of one stream. */
export const stretchRates = (stretch: Pick<StreamStretch, 'served' | 'sent' | 'spanMs'>): Rates => ({ throughput: perSecond(stretch.served, stretch.spanMs), attempted: perSecond(stretch.sent, stretch.spanMs) });

/**
 * Throughput and attempts of several streams: each stream's counts per second over the time its own
 * intervals cover, summed, since streams run side by side.
 */
export function ratesOf(parts: Iterable<StreamStretch>): Rates {
  const streams = new Map<string, StreamStretch>();
  for (const part of parts) {
    const stream = streams.get(part.stream) ?? { stream: part.stream, served: 0, sent: 0, spanMs: 0 };
    stream.served += part.served;
    stream.sent += part.sent;
    stream.spanMs += part.spanMs;
    streams.set(part.stream, stream);
  }
  const rates: Rates = { throughput: 0, attempted: 0 };
  for (const stream of streams.values()) {
    const { throughput, attempted } = stretchRates(stream);
    rates.throughput += throughput;
    rates.attempted += attempted;
  }
  return rates;
}

export const throughputOf = (parts: Iterable<StreamStretch>): number => ratesOf(parts).throughput;
