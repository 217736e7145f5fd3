import { countOf, figure, offset, plural, round } from '../../core/format.js';
import { LATENCY_KEYS, LatencyCounts, type LatencyKey } from '../../core/hdr.js';
import type { RunFacts } from '../facts/builder.js';
import { cellsIn } from '../facts/queries.js';
import { describeWindow } from '../facts/spans.js';
import type { Detector, Finding } from '../types.js';

function finding(facts: RunFacts, key: LatencyKey, budget: number, measured: number, total: LatencyCounts, streams: Map<string, LatencyCounts>): Finding {
  const { window } = facts.config;
  const { checks } = facts.load;
  const breaches = checks.breaches.get(key)!;
  const first = breaches.listed[0];
  const perStream = [...streams].map(([stream, counts]) => ({ stream, valueMs: round(counts.summary()[key] ?? 0) }));
  const where = breaches.count > 0
    ? `${countOf(breaches.count, 'interval', checks.intervals)} over it on its own, the first at ${offset(first!.t, facts.startT)}.`
    : 'No single interval was over it: the breach is spread across the run.';
  return {
    kind: 'latency-budget',
    severity: 'fail',
    title: `${key} latency ${figure(measured)} ms over the ${figure(budget)} ms budget`,
    at: first?.t,
    evidence: {
      summary: `The ${key} latency over the ${describeWindow(window)} was ${figure(measured)} ms (${plural(total.total, 'request')}), above the ${figure(budget)} ms budget. ${where}`,
      percentile: key,
      measuredMs: round(measured),
      budgetMs: budget,
      requests: total.total,
      ...(window ? { window } : {}),
      intervalsOverBudget: breaches.count,
      intervals: checks.intervals,
      ...(perStream.length > 1 ? { streams: perStream } : {}),
      breaches: breaches.listed.map((breach) => ({ ...breach, valueMs: round(breach.valueMs) })),
    },
  };
}

/** Latency percentiles of the whole run (or its window), merged exactly from the interval histograms, against the scenario's budgets. */
export const latencyBudget: Detector = {
  name: 'latency-budget',
  detect(facts) {
    const budgets = LATENCY_KEYS.flatMap((key): [LatencyKey, number][] => {
      const budget = facts.config.latency[key];
      return budget === undefined ? [] : [[key, budget]];
    });
    if (budgets.length === 0) return [];
    const cells = cellsIn(facts, facts.config.window);
    const total = LatencyCounts.merged(cells.map((cell) => cell.tally.latency));
    if (total.total === 0) return [];
    const streams = new Map<string, LatencyCounts>();
    for (const cell of cells.filter((entry) => entry.tally.latency.total > 0)) {
      let counts = streams.get(cell.stream);
      if (!counts) streams.set(cell.stream, (counts = new LatencyCounts()));
      counts.addCounts(cell.tally.latency);
    }
    const summary = total.summary();
    return budgets.flatMap(([key, budget]) => {
      const measured = summary[key]!;
      return measured > budget ? [finding(facts, key, budget, measured, total, streams)] : [];
    });
  },
};
