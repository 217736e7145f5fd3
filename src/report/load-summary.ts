import type { LoadInterval } from '../store/records.js';
import { LatencyMerger, type LatencyStats } from './latency.js';

export interface LoadFigures {
  /** Requests (or messages) sent. */
  requests: number;
  scheduled: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Timeouts entered in the latency figures at the timeout (a lower bound of their latency). */
  censored: number;
  /** (errors + timeouts) / requests. */
  errorRate: number;
  /** Mean completed per second over the time load ran. */
  rps: number;
  latency: LatencyStats;
  outcomes: Record<string, number>;
}

export interface StreamFigures extends LoadFigures {
  driver: string;
}

export interface PhaseFigures extends LoadFigures {
  stream: string;
  phase: string;
  kind: string | null;
  /** From the phase-start event; the first interval's time when the event is missing. */
  start: number;
  plannedMs: number | null;
}

/** One endpoint's requests (an http request `name`), over every stream that sends it. */
export interface EndpointFigures {
  requests: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** (errors + timeouts) / requests. */
  errorRate: number;
  latency: LatencyStats;
}

export interface LoadSummary extends LoadFigures {
  byStream: Record<string, StreamFigures>;
  /** Only when some http stream recorded figures by endpoint (it has more than one request). */
  byEndpoint?: Record<string, EndpointFigures>;
}

interface PhaseStart {
  stream: string;
  phase: string;
  kind: string;
  t: number;
  durationMs: number;
}

class Tally {
  scheduled = 0;
  sent = 0;
  completed = 0;
  errors = 0;
  timeouts = 0;
  censored = 0;
  outcomes: Record<string, number> = {};
  first = Infinity;
  last = -Infinity;
  firstSpan = 0;

  add(interval: LoadInterval): void {
    this.scheduled += interval.scheduled;
    this.sent += interval.sent;
    this.completed += interval.completed;
    this.errors += interval.errors;
    this.timeouts += interval.timeouts;
    this.censored += interval.censored ?? 0;
    for (const [outcome, count] of Object.entries(interval.outcomes)) this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + count;
    if (interval.t < this.first) {
      this.first = interval.t;
      this.firstSpan = interval.span;
    }
    if (interval.t > this.last) this.last = interval.t;
  }

  /** n back-to-back intervals cover (last - first) + one span, whether t marks their start or their end. */
  get spanMs(): number {
    return this.last >= this.first ? this.last - this.first + this.firstSpan : 0;
  }

  figures(latency: LatencyStats): LoadFigures {
    const spanS = this.spanMs / 1000;
    return {
      requests: this.sent,
      scheduled: this.scheduled,
      completed: this.completed,
      errors: this.errors,
      timeouts: this.timeouts,
      censored: this.censored,
      errorRate: this.sent > 0 ? (this.errors + this.timeouts) / this.sent : 0,
      rps: spanS > 0 ? this.completed / spanS : 0,
      latency,
      outcomes: this.outcomes,
    };
  }
}

const phaseKey = (stream: string, phase: string) => `phase\u0000${stream}\u0000${phase}`;
const streamKey = (stream: string) => `stream\u0000${stream}`;
const endpointKey = (endpoint: string) => `endpoint\u0000${endpoint}`;
const totalKey = 'total';

/** Totals, per stream and per phase, with latency percentiles merged from the interval histograms. */
export function summarizeLoad(intervals: LoadInterval[], phaseStarts: PhaseStart[]): { load: LoadSummary; phases: PhaseFigures[] } {
  const merger = new LatencyMerger();
  try {
    const total = new Tally();
    const streams = new Map<string, { driver: string; tally: Tally }>();
    const phases = new Map<string, { stream: string; phase: string; tally: Tally }>();
    const endpoints = new Map<string, Omit<EndpointFigures, 'errorRate' | 'latency'>>();
    for (const interval of intervals) {
      total.add(interval);
      let stream = streams.get(interval.stream);
      if (!stream) {
        stream = { driver: interval.driver, tally: new Tally() };
        streams.set(interval.stream, stream);
      }
      stream.tally.add(interval);
      const key = phaseKey(interval.stream, interval.phase);
      let phase = phases.get(key);
      if (!phase) {
        phase = { stream: interval.stream, phase: interval.phase, tally: new Tally() };
        phases.set(key, phase);
      }
      phase.tally.add(interval);
      merger.add(interval.hdr, [totalKey, streamKey(interval.stream), key]);
      for (const [name, share] of Object.entries(interval.endpoints ?? {})) {
        const endpoint = endpoints.get(name) ?? { requests: 0, completed: 0, errors: 0, timeouts: 0 };
        endpoint.requests += share.sent;
        endpoint.completed += share.completed;
        endpoint.errors += share.errors;
        endpoint.timeouts += share.timeouts;
        endpoints.set(name, endpoint);
        merger.add(share.hdr, [endpointKey(name)]);
      }
    }

    const byStream: Record<string, StreamFigures> = {};
    for (const [name, stream] of streams) byStream[name] = { driver: stream.driver, ...stream.tally.figures(merger.stats(streamKey(name))) };

    const phaseFigures: PhaseFigures[] = [];
    const described = new Set<string>();
    for (const start of phaseStarts) {
      const key = phaseKey(start.stream, start.phase);
      described.add(key);
      const tally = phases.get(key)?.tally ?? new Tally();
      phaseFigures.push({ stream: start.stream, phase: start.phase, kind: start.kind, start: start.t, plannedMs: start.durationMs, ...tally.figures(merger.stats(key)) });
    }
    // Intervals of a phase whose phase-start event never reached disk still count.
    for (const [key, phase] of phases) {
      if (described.has(key)) continue;
      phaseFigures.push({ stream: phase.stream, phase: phase.phase, kind: null, start: phase.tally.first, plannedMs: null, ...phase.tally.figures(merger.stats(key)) });
    }
    phaseFigures.sort((a, b) => a.start - b.start);

    const byEndpoint: Record<string, EndpointFigures> = {};
    for (const [name, endpoint] of endpoints) {
      const errorRate = endpoint.requests > 0 ? (endpoint.errors + endpoint.timeouts) / endpoint.requests : 0;
      byEndpoint[name] = { ...endpoint, errorRate, latency: merger.stats(endpointKey(name)) };
    }

    return { load: { ...total.figures(merger.stats(totalKey)), byStream, ...(endpoints.size > 0 ? { byEndpoint } : {}) }, phases: phaseFigures };
  } finally {
    merger.destroy();
  }
}
