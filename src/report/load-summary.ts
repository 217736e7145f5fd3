import type { LatencyMs } from '../core/hdr.js';
import type { RunFacts } from '../analyze/facts/builder.js';
import { errorRateOf, throughputOf } from '../analyze/facts/figures.js';
import type { LoadCell } from '../analyze/facts/load.js';
import { LoadTally } from '../analyze/facts/tally.js';

export type LatencyStats = LatencyMs;

export interface LoadFigures {
  /** Requests (or messages) sent. */
  requests: number;
  scheduled: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Errors and timeouts over the requests (errorRateOf). */
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
  /** Errors and timeouts over the requests (errorRateOf). */
  errorRate: number;
  latency: LatencyStats;
}

export interface LoadSummary extends LoadFigures {
  byStream: Record<string, StreamFigures>;
  /** Only when some http stream recorded figures by endpoint (it has more than one request). */
  byEndpoint?: Record<string, EndpointFigures>;
}

function figures(cells: readonly LoadCell[]): LoadFigures {
  const tally = cells.length === 1 ? cells[0]!.tally : LoadTally.of(cells.map((cell) => cell.tally));
  return {
    requests: tally.sent,
    scheduled: tally.scheduled,
    completed: tally.completed,
    errors: tally.errors,
    timeouts: tally.timeouts,
    errorRate: errorRateOf(tally) ?? 0,
    rps: throughputOf(cells.map((cell) => ({ stream: cell.stream, count: cell.tally.completed, spanMs: cell.tally.spanMs }))),
    latency: tally.summary(),
    outcomes: tally.outcomes,
  };
}

/** Totals, per stream, per phase and per endpoint: sums of the run's cells, latency merged from their histograms. */
export function summarizeLoad(facts: RunFacts): { load: LoadSummary; phases: PhaseFigures[] } {
  const cells = [...facts.load.cells.values()];
  const byStream: Record<string, StreamFigures> = {};
  for (const [stream, driver] of facts.load.streams) byStream[stream] = { driver, ...figures(cells.filter((cell) => cell.stream === stream)) };

  const phases: PhaseFigures[] = [];
  const described = new Set<LoadCell>();
  for (const span of facts.phases) {
    const cell = facts.load.cells.get(`${span.stream}\u0000${span.phase}`);
    if (cell) described.add(cell);
    phases.push({ stream: span.stream, phase: span.phase, kind: span.kind, start: span.start, plannedMs: span.plannedMs, ...figures(cell ? [cell] : []) });
  }
  // Intervals of a phase whose phase-start event never reached disk still count.
  for (const cell of cells.filter((entry) => !described.has(entry))) {
    phases.push({ stream: cell.stream, phase: cell.phase, kind: null, start: cell.tally.firstT, plannedMs: null, ...figures([cell]) });
  }
  phases.sort((a, b) => a.start - b.start);

  const endpoints = new Map<string, LoadTally>();
  for (const cell of facts.load.endpointCells.values()) {
    let tally = endpoints.get(cell.endpoint);
    if (!tally) endpoints.set(cell.endpoint, (tally = new LoadTally()));
    tally.addTally(cell.tally);
  }
  const byEndpoint: Record<string, EndpointFigures> = {};
  for (const [name, tally] of endpoints) {
    byEndpoint[name] = { requests: tally.sent, completed: tally.completed, errors: tally.errors, timeouts: tally.timeouts, errorRate: errorRateOf(tally) ?? 0, latency: tally.summary() };
  }
  return { load: { ...figures(cells), byStream, ...(endpoints.size > 0 ? { byEndpoint } : {}) }, phases };
}
