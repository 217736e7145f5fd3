import type { EndpointInterval, GeneratorFigures, LoadInterval } from '../../store/records.js';
import { countsSummary, decodeSlots, LatencyCounts, type LatencySummary } from '../../core/hdr.js';
import type { BacklogFields } from '../types.js';

type Interval = LoadInterval & Partial<BacklogFields>;

const sum = <T>(parts: readonly T[], pick: (part: T) => number | undefined) => parts.reduce((total, part) => total + (pick(part) ?? 0), 0);
const most = <T>(parts: readonly T[], pick: (part: T) => number | undefined) => Math.max(...parts.map((part) => pick(part) ?? 0));
const anyHas = <T>(parts: readonly T[], pick: (part: T) => unknown) => parts.some((part) => pick(part) !== undefined);

/** Adds histograms encoded in the soak layout; gives the sum's summary and encoding. */
function withHdr<T>(encoded: readonly (string | undefined)[], use: (summary: LatencySummary, hdr: string) => T): T {
  const counts = new LatencyCounts();
  for (const text of encoded) if (text) counts.add(decodeSlots(text));
  return use(countsSummary(counts), counts.encode());
}

function mergeCounts(parts: readonly Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const part of parts) for (const [key, count] of Object.entries(part)) merged[key] = (merged[key] ?? 0) + count;
  return merged;
}

function mergeEndpoints(parts: readonly Interval[]): Record<string, EndpointInterval> | undefined {
  if (!anyHas(parts, (part) => part.endpoints)) return undefined;
  const names = new Set(parts.flatMap((part) => Object.keys(part.endpoints ?? {})));
  const merged: Record<string, EndpointInterval> = {};
  for (const name of names) {
    const shares = parts.flatMap((part) => (part.endpoints?.[name] ? [part.endpoints[name]] : []));
    merged[name] = withHdr(
      shares.map((share) => share.hdr),
      (summary, hdr) => ({
        sent: sum(shares, (share) => share.sent),
        completed: sum(shares, (share) => share.completed),
        errors: sum(shares, (share) => share.errors),
        timeouts: sum(shares, (share) => share.timeouts),
        ...(anyHas(shares, (share) => share.censored) ? { censored: sum(shares, (share) => share.censored) } : {}),
        latency: summary,
        hdr,
      }),
    );
  }
  return merged;
}

/** The busiest thread's figures, and send lag over all threads' arrivals. */
function mergeGenerator(parts: readonly Interval[], threads: number): GeneratorFigures | undefined {
  const figures = parts.flatMap((part) => (part.generator ? [part.generator] : []));
  if (figures.length === 0) return undefined;
  const lags = figures.flatMap((figure) => (figure.sendLag ? [figure.sendLag] : []));
  return {
    threads,
    loopDelay: { p99: most(figures, (figure) => figure.loopDelay.p99), max: most(figures, (figure) => figure.loopDelay.max) },
    utilization: most(figures, (figure) => figure.utilization),
    ...(anyHas(figures, (figure) => figure.cpu) ? { cpu: most(figures, (figure) => figure.cpu) } : {}),
    ...(lags.length > 0
      ? { sendLag: withHdr(lags.map((lag) => lag.hdr), (summary, hdr) => ({ count: summary.count, p99: summary.p99, max: summary.max, hdr })) }
      : {}),
  };
}

function mergeWs(parts: readonly Interval[]): LoadInterval['ws'] {
  const shares = parts.flatMap((part) => (part.ws ? [part.ws] : []));
  if (shares.length === 0) return undefined;
  return withHdr(
    shares.map((share) => share.connectHdr),
    (summary, hdr) => ({
      open: sum(shares, (share) => share.open),
      opened: sum(shares, (share) => share.opened),
      closed: sum(shares, (share) => share.closed),
      connectP99: summary.p99,
      connectHdr: hdr,
    }),
  );
}

/**
 * One interval of a stream from the same interval of each of its driver threads: counts and
 * gauges add up, histograms are added (so percentiles are exact, not averaged), and the phase and
 * names are the first thread's. `t` and `span` are the latest thread's.
 */
export function mergeIntervals(parts: readonly Interval[], threads = parts.length): Interval {
  const first = parts[0]!;
  if (parts.length === 1 && threads === 1) return first;
  const merged: Interval = withHdr(
    parts.map((part) => part.hdr),
    (summary, hdr) => ({
      t: most(parts, (part) => part.t),
      span: most(parts, (part) => part.span),
      stream: first.stream,
      driver: first.driver,
      phase: first.phase,
      scheduled: sum(parts, (part) => part.scheduled),
      sent: sum(parts, (part) => part.sent),
      completed: sum(parts, (part) => part.completed),
      errors: sum(parts, (part) => part.errors),
      timeouts: sum(parts, (part) => part.timeouts),
      outcomes: mergeCounts(parts.map((part) => part.outcomes)),
      latency: summary,
      hdr,
      inflight: sum(parts, (part) => part.inflight),
    }),
  );
  if (anyHas(parts, (part) => part.censored)) merged.censored = sum(parts, (part) => part.censored);
  if (anyHas(parts, (part) => part.offeredRate)) merged.offeredRate = sum(parts, (part) => part.offeredRate);
  if (anyHas(parts, (part) => part.connections)) merged.connections = sum(parts, (part) => part.connections);
  if (anyHas(parts, (part) => part.sockets)) merged.sockets = sum(parts, (part) => part.sockets);
  if (anyHas(parts, (part) => part.late)) merged.late = sum(parts, (part) => part.late);
  if (anyHas(parts, (part) => part.queued)) merged.queued = sum(parts, (part) => part.queued);
  const ws = mergeWs(parts);
  if (ws) merged.ws = ws;
  const endpoints = mergeEndpoints(parts);
  if (endpoints) merged.endpoints = endpoints;
  const generator = mergeGenerator(parts, threads);
  if (generator) merged.generator = generator;
  return merged;
}
