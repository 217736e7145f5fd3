import { wholeStream, type Share } from './share.js';
import type { Phase } from './types.js';

/** A phase placed on the stream's timeline: offsets from the stream's start, ms. */
export interface PhaseSpan {
  index: number;
  phase: Phase;
  startMs: number;
  endMs: number;
}

export function phaseSpans(phases: Phase[]): PhaseSpan[] {
  let startMs = 0;
  return phases.map((phase, index) => {
    const span = { index, phase, startMs, endMs: startMs + phase.durationMs };
    startMs = span.endMs;
    return span;
  });
}

const bounds = (value: number | [number, number]): [number, number] => (Array.isArray(value) ? value : [value, value]);

/** A constant, or a linear ramp [from, to] at `progress` (0..1) through its phase. */
export function rampValue(value: number | [number, number], progress: number): number {
  const [from, to] = bounds(value);
  return from + (to - from) * Math.min(1, Math.max(0, progress));
}

/** The most connections any closed-model phase asks for; 0 without one. */
export function peakConnections(phases: Phase[]): number {
  return Math.max(0, ...phases.map((phase) => (phase.connections === undefined ? 0 : Math.max(...bounds(phase.connections)))));
}

/** The highest arrival rate any open-model phase asks for; 0 without one. */
export function peakRate(phases: Phase[]): number {
  return Math.max(0, ...phases.map((phase) => (phase.rate === undefined ? 0 : Math.max(...bounds(phase.rate)))));
}

const progressOf = (span: PhaseSpan, elapsedMs: number) => (elapsedMs - span.startMs) / span.phase.durationMs;

/** Arrivals per second asked for at `elapsedMs`; undefined in a closed-model phase. */
export function rateAt(span: PhaseSpan, elapsedMs: number): number | undefined {
  return span.phase.rate === undefined ? undefined : rampValue(span.phase.rate, progressOf(span, elapsedMs));
}

/** Connections asked for at `elapsedMs` (whole, a ramp steps through them); undefined in an open-model phase. */
export function connectionsAt(span: PhaseSpan, elapsedMs: number): number | undefined {
  return span.phase.connections === undefined ? undefined : Math.round(rampValue(span.phase.connections, progressOf(span, elapsedMs)));
}

/**
 * When (ms from the stream's start) the scheduler should look again at a closed-model ramp, so it
 * follows each step of the connection count: twice per step. Infinity when the count is constant.
 */
export function nextStepMs(span: PhaseSpan, elapsedMs: number): number {
  if (!Array.isArray(span.phase.connections)) return Infinity;
  const [from, to] = span.phase.connections;
  if (from === to) return Infinity;
  return elapsedMs + Math.max(1, span.phase.durationMs / Math.abs(to - from) / 2);
}

/**
 * Follows the stream's clock through its phases and calls onPhase once for each phase it enters,
 * in order, including one so short that no call to `at` fell inside it.
 */
export class PhaseWalker {
  readonly spans: PhaseSpan[];
  private entered = -1;

  constructor(
    phases: Phase[],
    private readonly onPhase: (phase: Phase, index: number) => void,
  ) {
    this.spans = phaseSpans(phases);
  }

  /** The phase at `elapsedMs`; undefined once every phase is over. */
  at(elapsedMs: number): PhaseSpan | undefined {
    const current = this.spans.find((span) => elapsedMs < span.endMs);
    const reached = current?.index ?? this.spans.length - 1;
    while (this.entered < reached) {
      this.entered += 1;
      this.onPhase(this.spans[this.entered]!.phase, this.entered);
    }
    return current;
  }
}

/**
 * When, from its phase's start, arrival k (0, 1, 2...) of an open-model phase is due: the time at
 * which the arrivals the phase's rate adds up to reach k. For a ramp from a to b over D seconds that is
 * the root of a·x + (b−a)·x²/(2D) = k, written in a form that stays exact as b−a goes to 0.
 */
export function arrivalOffsetMs(phase: Phase, k: number): number {
  // Not through bounds(): this runs for every arrival, and an array each time is garbage to collect.
  const rate = phase.rate ?? 0;
  const from = typeof rate === 'number' ? rate : rate[0];
  const to = typeof rate === 'number' ? rate : rate[1];
  const seconds = phase.durationMs / 1000;
  const curve = (to - from) / (2 * seconds);
  const discriminant = from * from + 4 * curve * k;
  // Past what a falling ramp ever adds up to: no such arrival.
  if (discriminant < 0) return Infinity;
  const root = Math.sqrt(discriminant);
  return k === 0 ? 0 : ((2 * k) / (from + root)) * 1000;
}

/** How many arrivals an open-model phase has in all: those due before its end. */
export function arrivalsIn(phase: Phase): number {
  const [from, to] = bounds(phase.rate ?? 0);
  let count = Math.ceil(((from + to) / 2) * (phase.durationMs / 1000));
  // The closed form is exact but for rounding: settle it on the offsets themselves.
  while (count > 0 && arrivalOffsetMs(phase, count - 1) >= phase.durationMs) count -= 1;
  while (arrivalOffsetMs(phase, count) < phase.durationMs) count += 1;
  return count;
}

/**
 * The open-model arrival schedule across all phases: intended offsets (ms from the stream's start)
 * in order, with closed-model phases contributing none. Anchored to the planned phase starts, so a
 * late scheduler tick never shifts later arrivals. With a share, only the arrivals whose number in
 * the whole stream falls to it: the shares of all driver threads add up to the one schedule.
 */
export class ArrivalSchedule {
  private readonly spans: PhaseSpan[];
  private spanIndex = 0;
  /** The next arrival's number within its phase. */
  private k: number;
  /** Arrivals of the whole stream in the phases before the current one. */
  private before = 0;
  /** What peek() returns until the next advance(), worked out once: the scheduler asks for it several times per arrival. */
  private nextOffset: number | undefined;
  private known = false;

  constructor(
    phases: Phase[],
    private readonly share: Share = wholeStream,
  ) {
    this.spans = phaseSpans(phases);
    this.k = this.firstOwn();
  }

  /** The next arrival's offset; undefined when no phase has any left. */
  peek(): number | undefined {
    if (!this.known) {
      this.nextOffset = this.find();
      this.known = true;
    }
    return this.nextOffset;
  }

  advance(): void {
    this.k += this.share.count;
    this.known = false;
  }

  private find(): number | undefined {
    while (this.spanIndex < this.spans.length) {
      const span = this.spans[this.spanIndex]!;
      if (span.phase.rate !== undefined) {
        const offset = span.startMs + arrivalOffsetMs(span.phase, this.k);
        if (offset < span.endMs) return offset;
        if (this.share.count > 1) this.before += arrivalsIn(span.phase);
      }
      this.spanIndex += 1;
      this.k = this.firstOwn();
    }
    return undefined;
  }

  private firstOwn(): number {
    const { index, count } = this.share;
    return (((index - this.before) % count) + count) % count;
  }
}
