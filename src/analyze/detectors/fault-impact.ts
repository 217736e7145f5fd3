import { BASELINE_MS, type LoadFigures } from '../facts/faults.js';
import { effectiveEnd } from '../facts/spans.js';
import type { Detector, Finding } from '../types.js';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percent = (fraction: number) => `${round(fraction * 100)}%`;
const ms = (value: number | null) => (value === null ? 'none' : `${round(value)} ms`);

const headline = (figures: LoadFigures) => `throughput ${round(figures.throughput)}/s, p99 ${ms(figures.p99)}, error rate ${percent(figures.errorRate)}`;

function describe(during: LoadFigures, baseline: LoadFigures | undefined): string {
  const throughput = `throughput ${round(during.throughput)}/s`;
  const p99 = `p99 ${ms(during.p99)}`;
  const errors = `error rate ${percent(during.errorRate)}, ${during.timeouts} timeouts`;
  if (!baseline) return `${throughput}, ${p99}, ${errors} (no load in the ${BASELINE_MS / 1000} s before it to compare with)`;
  return `${throughput} (before: ${round(baseline.throughput)}/s), ${p99} (before: ${ms(baseline.p99)}), ${errors} (before: ${percent(baseline.errorRate)}, ${baseline.timeouts})`;
}

/** One info finding per fault: how the load fared while the fault acted, next to the stretch just before it. */
export const faultImpact: Detector = {
  name: 'fault-impact',
  detect(facts) {
    return facts.faultLoad.map((load): Finding => {
      const { span } = load;
      const end = effectiveEnd(span, facts.endT);
      const during = load.duringFigures();
      const baseline = load.baselineFigures(facts.recent);
      const streams = [...load.during.keys()];
      return {
        kind: 'fault-impact',
        severity: 'info',
        title: `During ${span.kind} "${span.fault}" on ${span.target}: ${headline(during)}`,
        service: span.target,
        at: span.start,
        evidence: {
          summary: `While ${span.kind} "${span.fault}" acted on ${span.target} for ${round((end - span.start) / 1000)} s${span.end !== null ? '' : ' (until the run ended)'}: ${describe(during, baseline)}.`,
          fault: span.fault,
          kind: span.kind,
          target: span.target,
          window: { start: span.start, end, ended: span.end !== null },
          baselineWindow: { start: span.start - BASELINE_MS, end: span.start },
          during,
          baseline: baseline ?? null,
          ...(streams.length > 1 ? { streams: Object.fromEntries(streams.map((stream) => [stream, load.duringFigures(stream)])) } : {}),
        },
      };
    });
  },
};
