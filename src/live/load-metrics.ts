import type { LoadTally, RunFacts } from '../analyze/index.js';
import { LatencyCounts } from '../core/hdr.js';
import type { Family, HistogramSample, Labels, Sample } from './exposition.js';
import type { LatestFigures } from './latest.js';

/** Latency bucket bounds, seconds: Prometheus's defaults with a finer low end (local services answer in a millisecond) and a longer tail (timeouts). */
const LATENCY_BOUNDS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BOUNDS_MICROS = LATENCY_BOUNDS_S.map((seconds) => Math.round(seconds * 1e6));

/** Sums of the tallies by key, in the order keys are first seen. */
function grouped<T>(items: Iterable<T>, key: (item: T) => string, tally: (item: T) => LoadTally): Map<string, { first: T; tallies: LoadTally[] }> {
  const groups = new Map<string, { first: T; tallies: LoadTally[] }>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.tallies.push(tally(item));
    else groups.set(name, { first: item, tallies: [tally(item)] });
  }
  return groups;
}

function histogram(labels: Labels, tallies: readonly LoadTally[]): HistogramSample {
  const latency = LatencyCounts.merged(tallies.map((tally) => tally.latency));
  const { counts, sumMicros } = latency.cumulative(BOUNDS_MICROS);
  return { labels, bounds: LATENCY_BOUNDS_S, counts, count: latency.total, sum: sumMicros / 1e6 };
}

const total = (tallies: readonly LoadTally[], pick: (tally: LoadTally) => number) => tallies.reduce((sum, tally) => sum + pick(tally), 0);

/**
 * Each stream's requests, failures, outcomes and latency over the run so far (the sums of its
 * phases), named after its driver (`soak_http_…`, `soak_ws_…`: for a WebSocket stream a request
 * is a message); and the same by endpoint for http streams with more than one request.
 */
export function loadFamilies(facts: RunFacts, latest: LatestFigures): Family[] {
  const drivers = new Map<string, { requests: Sample[]; errors: Sample[]; outcomes: Sample[]; latency: HistogramSample[]; inflight: Sample[]; open: Sample[]; endpointRequests: Sample[]; endpointErrors: Sample[]; endpointLatency: HistogramSample[] }>();
  const of = (driver: string) => {
    let families = drivers.get(driver);
    if (!families) drivers.set(driver, (families = { requests: [], errors: [], outcomes: [], latency: [], inflight: [], open: [], endpointRequests: [], endpointErrors: [], endpointLatency: [] }));
    return families;
  };
  for (const [stream, { first, tallies }] of grouped(facts.load.cells.values(), (cell) => cell.stream, (cell) => cell.tally)) {
    const families = of(first.driver);
    const labels = { stream };
    families.requests.push({ labels, value: total(tallies, (tally) => tally.sent) });
    families.errors.push({ labels: { stream, kind: 'error' }, value: total(tallies, (tally) => tally.errors) }, { labels: { stream, kind: 'timeout' }, value: total(tallies, (tally) => tally.timeouts) });
    const outcomes = new Map<string, number>();
    for (const tally of tallies) for (const [outcome, count] of Object.entries(tally.outcomes)) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + count);
    for (const [outcome, count] of outcomes) families.outcomes.push({ labels: { stream, outcome }, value: count });
    families.latency.push(histogram(labels, tallies));
    const last = latest.streams.get(stream);
    if (last) families.inflight.push({ labels, value: last.inflight });
    if (last?.ws) families.open.push({ labels, value: last.ws.open });
  }
  const endpointCells = grouped(facts.load.endpointCells.values(), (cell) => `${cell.stream}\u0000${cell.endpoint}`, (cell) => cell.tally);
  for (const { first, tallies } of endpointCells.values()) {
    const families = of(facts.load.streams.get(first.stream) ?? 'http');
    const labels = { stream: first.stream, endpoint: first.endpoint };
    families.endpointRequests.push({ labels, value: total(tallies, (tally) => tally.sent) });
    families.endpointErrors.push({ labels: { ...labels, kind: 'error' }, value: total(tallies, (tally) => tally.errors) }, { labels: { ...labels, kind: 'timeout' }, value: total(tallies, (tally) => tally.timeouts) });
    families.endpointLatency.push(histogram(labels, tallies));
  }
  return [...drivers].flatMap(([driver, families]): Family[] => {
    const name = `soak_${driver.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    return [
      { name: `${name}_requests_total`, type: 'counter', help: `Requests sent by each ${driver} stream (WebSocket: messages).`, samples: families.requests },
      { name: `${name}_request_errors_total`, type: 'counter', help: 'Requests that failed (kind="error": a 5xx or no response) or timed out (kind="timeout").', samples: families.errors },
      { name: `${name}_request_outcomes_total`, type: 'counter', help: 'Requests that ended, by outcome: status class (2xx, 5xx...) or error code.', samples: families.outcomes },
      { name: `${name}_request_duration_seconds`, type: 'histogram', help: 'Latency, from the intended send time (open model) or the send (closed model).', samples: families.latency },
      { name: `${name}_inflight_requests`, type: 'gauge', help: 'Requests sent and not answered yet, at the end of the last recorded interval.', samples: families.inflight },
      { name: `${name}_open_connections`, type: 'gauge', help: 'WebSocket connections open at the end of the last recorded interval.', samples: families.open },
      { name: `${name}_endpoint_requests_total`, type: 'counter', help: 'Requests sent, by endpoint (the request name) of streams with more than one request.', samples: families.endpointRequests },
      { name: `${name}_endpoint_errors_total`, type: 'counter', help: 'Requests that failed or timed out, by endpoint.', samples: families.endpointErrors },
      { name: `${name}_endpoint_request_duration_seconds`, type: 'histogram', help: 'Latency by endpoint.', samples: families.endpointLatency },
    ];
  });
}
