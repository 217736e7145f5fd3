import type { LoadInterval } from '../../store/records.js';
import type { Detector, Finding, RunData } from '../types.js';
import { windowIntervals } from '../window.js';
import { countOf, offset, percent, plural, round } from '../words.js';

const failed = (interval: LoadInterval) => interval.errors + interval.timeouts;
/**
 * An interval's share of failures among the requests that ended in it: timeouts of requests sent
 * earlier land in later intervals, so over what was sent in the interval the share can pass 100%.
 * 5xx answers are in both `completed` and `errors`; the other errors got no answer.
 */
const endedIn = (interval: LoadInterval) => interval.completed + interval.timeouts + interval.errors - (interval.outcomes['5xx'] ?? 0);
const rateOf = (interval: LoadInterval) => (endedIn(interval) > 0 ? failed(interval) / endedIn(interval) : 0);

function mergedOutcomes(intervals: LoadInterval[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const interval of intervals) {
    for (const [outcome, count] of Object.entries(interval.outcomes)) merged[outcome] = (merged[outcome] ?? 0) + count;
  }
  return Object.fromEntries(Object.entries(merged).sort((a, b) => b[1] - a[1]));
}

function perStream(intervals: LoadInterval[]): Record<string, { sent: number; failed: number; rate: number }> {
  const streams: Record<string, { sent: number; failed: number; rate: number }> = {};
  for (const interval of intervals) {
    const stream = (streams[interval.stream] ??= { sent: 0, failed: 0, rate: 0 });
    stream.sent += interval.sent;
    stream.failed += failed(interval);
  }
  for (const stream of Object.values(streams)) stream.rate = stream.sent > 0 ? round(stream.failed / stream.sent) : 0;
  return streams;
}

function finding(run: RunData, budget: number, window: string[] | undefined): Finding[] {
  const sent = run.load.reduce((sum, interval) => sum + interval.sent, 0);
  const errors = run.load.reduce((sum, interval) => sum + interval.errors, 0);
  const timeouts = run.load.reduce((sum, interval) => sum + interval.timeouts, 0);
  if (sent === 0) return [];
  const rate = (errors + timeouts) / sent;
  if (rate <= budget) return [];

  const worst = run.load.reduce((top, interval) => (rateOf(interval) > rateOf(top) || (rateOf(interval) === rateOf(top) && failed(interval) > failed(top)) ? interval : top));
  const over = run.load.filter((interval) => rateOf(interval) > budget);
  const outcomes = mergedOutcomes(run.load);
  const streams = perStream(run.load);
  const top = Object.entries(outcomes)
    .slice(0, 3)
    .map(([outcome, count]) => `${outcome} ${count.toLocaleString('en-US')}`)
    .join(', ');
  return [
    {
      kind: 'error-rate',
      severity: 'fail',
      title: `${percent(rate)} of requests failed (budget ${percent(budget)})`,
      at: over[0]?.t,
      evidence: {
        summary:
          `${(errors + timeouts).toLocaleString('en-US')} of ${plural(sent, 'request')} failed (${percent(rate)}, budget ${percent(budget)}): ` +
          `${plural(errors, 'error')} and ${plural(timeouts, 'timeout')}. The worst interval, at ${offset(worst.t, run.startT)} on stream ${worst.stream}, ` +
          `failed ${percent(rateOf(worst))}; ${countOf(over.length, 'interval', run.load.length)} over budget. Outcomes: ${top}.`,
        rate: round(rate),
        ...(window ? { window } : {}),
        budget,
        sent,
        errors,
        timeouts,
        intervalsOverBudget: over.length,
        intervals: run.load.length,
        firstOverBudgetAt: over[0]?.t,
        worstInterval: { t: worst.t, stream: worst.stream, phase: worst.phase, sent: worst.sent, errors: worst.errors, timeouts: worst.timeouts, rate: round(rateOf(worst)) },
        outcomes,
        ...(Object.keys(streams).length > 1 ? { streams } : {}),
      },
    },
  ];
}

/** Errors and timeouts over everything sent (in the window), across all load streams, against the error-rate budget. */
export const errorRate: Detector = {
  name: 'error-rate',
  detect(run, config) {
    return finding({ ...run, load: windowIntervals(run, config.window) }, config.errorRate, config.window);
  },
};
