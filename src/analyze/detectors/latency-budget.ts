import { build, type Histogram } from 'hdr-histogram-js';
import { decodeHdr, latencyKeys, valueMs, type LatencyKey } from '../hdr.js';
import type { Detector, Finding, RunData } from '../types.js';
import { describeWindow, windowIntervals } from '../window.js';
import { countOf, figure, offset, plural, round } from '../words.js';

/** Intervals listed in the evidence; the count covers all of them. */
const MAX_LISTED = 50;

interface Breach {
  t: number;
  stream: string;
  valueMs: number;
  requests: number;
}

interface Merged {
  total: Histogram;
  streams: Map<string, Histogram>;
  breaches: Map<LatencyKey, Breach[]>;
}

/** One pass over the intervals: every histogram decoded once, summed overall and per stream, checked on its own. */
function merge(run: RunData, budgets: [LatencyKey, number][]): Merged {
  const merged: Merged = { total: build(), streams: new Map(), breaches: new Map(budgets.map(([key]) => [key, []])) };
  for (const interval of run.load) {
    const histogram = decodeHdr(interval.hdr);
    if (!histogram) continue;
    if (histogram.totalCount > 0) {
      merged.total.add(histogram);
      let stream = merged.streams.get(interval.stream);
      if (!stream) merged.streams.set(interval.stream, (stream = build()));
      stream.add(histogram);
      for (const [key, budget] of budgets) {
        const value = valueMs(histogram, key);
        if (value > budget) merged.breaches.get(key)!.push({ t: interval.t, stream: interval.stream, valueMs: round(value), requests: histogram.totalCount });
      }
    }
    histogram.destroy();
  }
  return merged;
}

function finding(run: RunData, key: LatencyKey, budget: number, measured: number, merged: Merged, intervals: number, window: string[] | undefined): Finding {
  const breaches = merged.breaches.get(key)!;
  const streams = [...merged.streams].map(([stream, histogram]) => ({ stream, valueMs: round(valueMs(histogram, key)) }));
  const where = breaches.length > 0
    ? `${countOf(breaches.length, 'interval', intervals)} over it on its own, the first at ${offset(breaches[0]!.t, run.startT)}.`
    : 'No single interval was over it: the breach is spread across the run.';
  return {
    kind: 'latency-budget',
    severity: 'fail',
    title: `${key} latency ${figure(measured)} ms over the ${figure(budget)} ms budget`,
    at: breaches[0]?.t,
    evidence: {
      summary: `The ${key} latency over the ${describeWindow(window)} was ${figure(measured)} ms (${plural(merged.total.totalCount, 'request')}), above the ${figure(budget)} ms budget. ${where}`,
      percentile: key,
      measuredMs: round(measured),
      budgetMs: budget,
      requests: merged.total.totalCount,
      ...(window ? { window } : {}),
      intervalsOverBudget: breaches.length,
      intervals,
      ...(streams.length > 1 ? { streams } : {}),
      breaches: breaches.slice(0, MAX_LISTED),
    },
  };
}

/** Latency percentiles of the whole run (or its window), merged exactly from the interval histograms, against the scenario's budgets. */
export const latencyBudget: Detector = {
  name: 'latency-budget',
  detect(whole, config) {
    const run = { ...whole, load: windowIntervals(whole, config.window) };
    const budgets = latencyKeys.flatMap((key): [LatencyKey, number][] => {
      const budget = config.latency[key];
      return budget === undefined ? [] : [[key, budget]];
    });
    if (budgets.length === 0) return [];
    const merged = merge(run, budgets);
    try {
      if (merged.total.totalCount === 0) return [];
      const intervals = run.load.length;
      return budgets.flatMap(([key, budget]) => {
        const measured = valueMs(merged.total, key);
        return measured > budget ? [finding(run, key, budget, measured, merged, intervals, config.window)] : [];
      });
    } finally {
      merged.total.destroy();
      for (const histogram of merged.streams.values()) histogram.destroy();
    }
  },
};
