import type { RunEvent } from '../../store/records.js';

/** A phase of a load stream: from its phase-start to the next phase of the stream (or the end of the run). */
export interface PhaseSpan {
  stream: string;
  phase: string;
  kind: string;
  start: number;
  /** The stream's next phase-start; null while it is the stream's last phase. */
  end: number | null;
  plannedMs: number;
}

/** A fault: from its fault-start to the next fault-end of the same fault on the same target. */
export interface FaultSpan {
  fault: string;
  kind: string;
  target: string;
  start: number;
  /** null: still active when the run ended (or was killed). */
  end: number | null;
}

/** Where a span stops: its own end, or the run's end for one still open then. */
export const effectiveEnd = (span: { end: number | null }, runEndT: number): number => span.end ?? runEndT;

type PhaseStart = Extract<RunEvent, { type: 'phase-start' }>;
type FaultEvent = Extract<RunEvent, { type: 'fault-start' | 'fault-end' }>;

/** Phase and fault spans, built from the events in time order. */
export class Spans {
  readonly phases: PhaseSpan[] = [];
  readonly faults: FaultSpan[] = [];
  private readonly openPhase = new Map<string, PhaseSpan>();
  private readonly openFault = new Map<string, FaultSpan>();

  onPhase(event: PhaseStart): void {
    const previous = this.openPhase.get(event.stream);
    if (previous) previous.end = event.t;
    const span: PhaseSpan = { stream: event.stream, phase: event.phase, kind: event.kind, start: event.t, end: null, plannedMs: event.durationMs };
    this.phases.push(span);
    this.openPhase.set(event.stream, span);
  }

  onFault(event: FaultEvent): void {
    const key = `${event.fault}\u0000${event.target}`;
    if (event.type === 'fault-start') {
      const span: FaultSpan = { fault: event.fault, kind: event.kind, target: event.target, start: event.t, end: null };
      this.faults.push(span);
      this.openFault.set(key, span);
      return;
    }
    const span = this.openFault.get(key);
    if (!span) return;
    span.end = event.t;
    this.openFault.delete(key);
  }

  /** The kind of a stream's phase, by name. */
  kindOf(stream: string, phase: string): string | undefined {
    for (let i = this.phases.length - 1; i >= 0; i -= 1) {
      const span = this.phases[i]!;
      if (span.stream === stream && span.phase === phase) return span.kind;
    }
    return undefined;
  }
}

/** Whether a phase (by name or kind) is in a window; no window is the whole run. */
export const inWindow = (window: readonly string[] | undefined, phase: string, kind: string | undefined): boolean =>
  !window || window.includes(phase) || (kind !== undefined && window.includes(kind));

export function describeWindow(window: readonly string[] | undefined): string {
  return window ? `phase${window.length > 1 ? 's' : ''} ${window.join(', ')}` : 'whole run';
}

/** Whether a moment lies in a window phase of any stream: for samples, which carry no phase of their own. */
export function windowContains(phases: readonly PhaseSpan[], window: readonly string[] | undefined, runEndT: number): (t: number) => boolean {
  if (!window) return () => true;
  const spans = phases.filter((span) => inWindow(window, span.phase, span.kind));
  return (t) => spans.some((span) => t > span.start && t <= effectiveEnd(span, runEndT));
}
