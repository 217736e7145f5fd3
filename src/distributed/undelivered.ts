import { phaseSpans, rampValue } from '../load/phases.js';
import type { Share } from '../load/share.js';
import type { Phase } from '../load/types.js';

/** What a share of a stream was still to send from `fromMs` (ms from the stream's start) to its end. */
export interface Undelivered {
  /** Open-model arrivals. */
  requests: number;
  /** Closed-model connections times the seconds each would have been held. */
  connectionSeconds: number;
}

/** The mean of a constant or linear ramp over [from, to] (progress 0..1) through its phase. */
const meanOver = (value: number | [number, number], from: number, to: number) => (rampValue(value, from) + rampValue(value, to)) / 2;

/**
 * The planned load of `share` after `fromMs`: the integral of the rate (arrivals) and of the
 * connection count over what is left of each phase, divided among the shares. Exact to within the
 * rounding of one arrival per phase, which is what a lost worker's report needs.
 */
export function undeliveredLoad(phases: Phase[], share: Share, fromMs: number): Undelivered {
  let requests = 0;
  let connectionSeconds = 0;
  for (const span of phaseSpans(phases)) {
    const startMs = Math.max(span.startMs, fromMs);
    if (startMs >= span.endMs) continue;
    const from = (startMs - span.startMs) / span.phase.durationMs;
    const seconds = (span.endMs - startMs) / 1000;
    if (span.phase.rate !== undefined) requests += meanOver(span.phase.rate, from, 1) * seconds;
    if (span.phase.connections !== undefined) connectionSeconds += meanOver(span.phase.connections, from, 1) * seconds;
  }
  return { requests: Math.round(requests / share.count), connectionSeconds: Math.round(connectionSeconds / share.count) };
}
