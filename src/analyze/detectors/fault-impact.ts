import { BASELINE_MS, CATCH_UP_MAX_MS, type LoadFigures } from '../facts/faults.js';
import { effectiveEnd } from '../facts/spans.js';
import type { Detector, Finding } from '../types.js';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (fraction: number) => `${round(fraction * 100)}%`;
/**
 * A stretch in which no response completed has no latency at all: not a p99 of "none", nor the p99 of its
 * timeouts, which enter the histogram at the timeout (a lower bound, not a response's latency).
 */
function p99(figures: LoadFigures): string {
  if (figures.completed === 0 || figures.p99 === null) return 'no response completed';
  return `p99 ${round(figures.p99)} ms`;
}

const headline = (figures: LoadFigures) => `throughput ${round(figures.throughput)}/s, ${p99(figures)}, error rate ${percent(figures.errorRate)}`;

function describe(during: LoadFigures, baseline: LoadFigures | undefined): string {
  const throughput = `throughput ${round(during.throughput)}/s`;
  const latency = p99(during);
  const errors = `error rate ${percent(during.errorRate)}, ${during.timeouts} timeouts`;
  if (!baseline) return `${throughput}, ${latency}, ${errors} (no load in the ${BASELINE_MS / 1000} s before it to compare with)`;
  return `${throughput} (before: ${round(baseline.throughput)}/s), ${latency} (before: ${p99(baseline)}), ${errors} (before: ${percent(baseline.errorRate)}, ${baseline.timeouts})`;
}

function describeCatchUp(catchUp: LoadFigures): string {
  if (catchUp.intervals === 0) return 'The load was back near its baseline from the first interval after it.';
  return `Catch-up after it (${catchUp.intervals} interval${catchUp.intervals === 1 ? '' : 's'} until the load was back near its baseline, at most ${CATCH_UP_MAX_MS / 1000} s): ${headline(catchUp)}.`;
}

/**
 * One info finding per fault: how the load fared while the fault acted (the intervals that closed by
 * its end), next to the stretch just before it, and apart from both the catch-up after it: the backlog
 * answered once the fault ended, which would otherwise lift the figures of the fault itself.
 */
export const faultImpact: Detector = {
  name: 'fault-impact',
  detect(facts) {
    return facts.faultLoad.map((load): Finding => {
      const { span } = load;
      const end = effectiveEnd(span, facts.endT);
      const during = load.duringFigures();
      const catchUp = load.catchUpFigures();
      const baseline = load.baselineFigures(facts.recent);
      const streams = [...load.during.keys()];
      return {
        kind: 'fault-impact',
        severity: 'info',
        title: `During ${span.kind} "${span.fault}" on ${span.target}: ${headline(during)}`,
        service: span.target,
        at: span.start,
        evidence: {
          summary: `While ${span.kind} "${span.fault}" acted on ${span.target} for ${round((end - span.start) / 1000)} s${span.end !== null ? '' : ' (until the run ended)'}: ${describe(during, baseline)}. ${describeCatchUp(catchUp)}`,
          fault: span.fault,
          kind: span.kind,
          target: span.target,
          window: { start: span.start, end, ended: span.end !== null },
          baselineWindow: { start: span.start - BASELINE_MS, end: span.start },
          during,
          catchUp,
          baseline: baseline ?? null,
          ...(streams.length > 1 ? { streams: Object.fromEntries(streams.map((stream) => [stream, load.duringFigures(stream)])) } : {}),
        },
      };
    });
  },
};
