import type { LoadInterval, RunEvent } from '../store/records.js';
import type { RunData } from './types.js';

/**
 * The stretch of a run a budget is judged over: the phases it names, by name ("soak-2") or by kind
 * ("steady"), so a budget can leave out the ramp and the spike. No window is the whole run.
 */

type PhaseStart = Extract<RunEvent, { type: 'phase-start' }>;

export interface PhaseSpan {
  stream: string;
  phase: string;
  kind: string;
  start: number;
  /** The next phase of the same stream starts, or the run ends. */
  end: number;
}

export function phaseSpans(run: RunData): PhaseSpan[] {
  const starts = run.events.filter((event): event is PhaseStart => event.type === 'phase-start');
  return starts.map((start) => {
    const next = starts.find((other) => other.stream === start.stream && other.t > start.t);
    return { stream: start.stream, phase: start.phase, kind: start.kind, start: start.t, end: next?.t ?? run.endT };
  });
}

const matches = (window: readonly string[], phase: string, kind: string | undefined) => window.includes(phase) || (kind !== undefined && window.includes(kind));

/** Load intervals of the window (of one stream when given), in time order. */
export function windowIntervals(run: RunData, window: readonly string[] | undefined, stream?: string): LoadInterval[] {
  const ofStream = stream === undefined ? run.load : run.load.filter((interval) => interval.stream === stream);
  if (!window) return ofStream;
  const kinds = new Map(phaseSpans(run).map((span) => [`${span.stream}\u0000${span.phase}`, span.kind]));
  return ofStream.filter((interval) => matches(window, interval.phase, kinds.get(`${interval.stream}\u0000${interval.phase}`)));
}

/** Whether a moment lies in a window phase of any stream: for samples, which carry no phase of their own. */
export function windowContains(run: RunData, window: readonly string[] | undefined): (t: number) => boolean {
  if (!window) return () => true;
  const spans = phaseSpans(run).filter((span) => matches(window, span.phase, span.kind));
  return (t) => spans.some((span) => t > span.start && t <= span.end);
}

export function describeWindow(window: readonly string[] | undefined): string {
  return window ? `phase${window.length > 1 ? 's' : ''} ${window.join(', ')}` : 'whole run';
}
