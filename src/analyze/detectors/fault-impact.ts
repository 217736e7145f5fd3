import type { LoadInterval } from '../../store/records.js';
import { mergedLatency } from '../hdr.js';
import type { Detector, Finding, RunData } from '../types.js';

/** How much load before a fault serves as its baseline. */
export const baselineMs = 30_000;

export interface FaultSpan {
  fault: string;
  kind: string;
  target: string;
  start: number;
  /** The fault-end time, or the run's end when the fault was still active then. */
  end: number;
  ended: boolean;
}

/** Load figures over a stretch of intervals. p99 in ms, merged from the interval histograms; null when nothing completed. */
export interface LoadFigures {
  intervals: number;
  sent: number;
  completed: number;
  errors: number;
  timeouts: number;
  /** Failed share of the requests that ended in the stretch (some of them may have been sent before it). */
  errorRate: number;
  /** Served (non-5xx) responses per second. */
  throughput: number;
  p99: number | null;
}

/** Each fault-start paired with the next fault-end of the same fault. */
export function faultSpans(run: RunData): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open = new Map<string, FaultSpan>();
  for (const event of run.events) {
    if (event.type === 'fault-start') {
      const span = { fault: event.fault, kind: event.kind, target: event.target, start: event.t, end: run.endT, ended: false };
      spans.push(span);
      open.set(event.fault, span);
    } else if (event.type === 'fault-end') {
      const span = open.get(event.fault);
      if (!span) continue;
      span.end = event.t;
      span.ended = true;
      open.delete(event.fault);
    }
  }
  return spans;
}

/** The middle of the time an interval covers (`t` is when the interval closed). */
export const midpoint = (interval: LoadInterval) => interval.t - interval.span / 2;

export function within(load: LoadInterval[], from: number, to: number): LoadInterval[] {
  return load.filter((interval) => midpoint(interval) >= from && midpoint(interval) < to);
}

/** The intervals just before a fault, leaving out any that another fault was acting on. */
export function baselineOf(run: RunData, span: FaultSpan, spans: FaultSpan[]): LoadInterval[] {
  const others = spans.filter((other) => other !== span);
  return within(run.load, span.start - baselineMs, span.start).filter((interval) => !others.some((other) => midpoint(interval) >= other.start && midpoint(interval) < other.end));
}

/**
 * An interval's responses that were not server errors. `completed` counts HTTP responses of any
 * status (WebSocket streams count their failures apart from it), and a service answering every
 * request with a quick 500 is as fast as ever but serves nothing.
 */
export const served = (interval: LoadInterval) => interval.completed - (interval.outcomes['5xx'] ?? 0);

export function figuresOf(intervals: LoadInterval[]): LoadFigures {
  const sum = (pick: (interval: LoadInterval) => number) => intervals.reduce((total, interval) => total + pick(interval), 0);
  const sent = sum((interval) => interval.sent);
  const errors = sum((interval) => interval.errors);
  const timeouts = sum((interval) => interval.timeouts);
  const completed = sum((interval) => interval.completed);
  const ok = sum(served);
  // Outcomes are counted when a request ends, so requests sent before the stretch may fail in it:
  // the rate is taken over what ended here, not over what was sent here.
  const ended = ok + errors + timeouts;
  const seconds = sum((interval) => interval.span) / 1000;
  return {
    intervals: intervals.length,
    sent,
    completed,
    errors,
    timeouts,
    errorRate: ended > 0 ? (errors + timeouts) / ended : 0,
    throughput: seconds > 0 ? ok / seconds : 0,
    p99: mergedLatency(intervals.map((interval) => interval.hdr)).p99,
  };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (fraction: number) => `${round(fraction * 100)}%`;
const ms = (value: number | null) => (value === null ? 'none' : `${round(value)} ms`);

const headline = (figures: LoadFigures) => `throughput ${round(figures.throughput)}/s, p99 ${ms(figures.p99)}, error rate ${percent(figures.errorRate)}`;

function describe(during: LoadFigures, baseline: LoadFigures | undefined): string {
  const throughput = `throughput ${round(during.throughput)}/s`;
  const p99 = `p99 ${ms(during.p99)}`;
  const errors = `error rate ${percent(during.errorRate)}, ${during.timeouts} timeouts`;
  if (!baseline) return `${throughput}, ${p99}, ${errors} (no load in the ${baselineMs / 1000} s before it to compare with)`;
  return `${throughput} (before: ${round(baseline.throughput)}/s), ${p99} (before: ${ms(baseline.p99)}), ${errors} (before: ${percent(baseline.errorRate)}, ${baseline.timeouts})`;
}

/** One info finding per fault: how the load fared while the fault acted, next to the stretch just before it. */
export const faultImpact: Detector = {
  name: 'fault-impact',
  detect(run) {
    const spans = faultSpans(run);
    return spans.map((span): Finding => {
      const duringIntervals = within(run.load, span.start, span.end);
      const baselineIntervals = baselineOf(run, span, spans);
      const during = figuresOf(duringIntervals);
      const baseline = baselineIntervals.length > 0 ? figuresOf(baselineIntervals) : undefined;
      const streams = [...new Set(duringIntervals.map((interval) => interval.stream))];
      return {
        kind: 'fault-impact',
        severity: 'info',
        title: `During ${span.kind} "${span.fault}" on ${span.target}: ${headline(during)}`,
        service: span.target,
        at: span.start,
        evidence: {
          summary: `While ${span.kind} "${span.fault}" acted on ${span.target} for ${round((span.end - span.start) / 1000)} s${span.ended ? '' : ' (until the run ended)'}: ${describe(during, baseline)}.`,
          fault: span.fault,
          kind: span.kind,
          target: span.target,
          window: { start: span.start, end: span.end, ended: span.ended },
          baselineWindow: { start: span.start - baselineMs, end: span.start },
          during,
          baseline: baseline ?? null,
          ...(streams.length > 1
            ? { streams: Object.fromEntries(streams.map((stream) => [stream, figuresOf(duringIntervals.filter((interval) => interval.stream === stream))])) }
            : {}),
        },
      };
    });
  },
};
