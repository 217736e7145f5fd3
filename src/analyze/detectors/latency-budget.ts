import { countOf, figure, offset, plural, round } from '../../core/format.js';
import { LATENCY_KEYS, LatencyCounts, type LatencyKey } from '../../core/hdr.js';
import type { RunFacts } from '../facts/builder.js';
import type { LoadCell } from '../facts/load.js';
import { cellsIn } from '../facts/queries.js';
import { describeWindow } from '../facts/spans.js';
import type { Detector, Finding } from '../types.js';

/**
 * The intervals in which soak held a target still (a heap snapshot, a long forced GC) and the second
 * after: merged, and the run's latency without them, so a budget broken by soak's own stalls says so.
 */
interface Held {
  intervals: number;
  without: LatencyCounts;
  holds: string;
}

function heldPart(facts: RunFacts, cells: readonly LoadCell[], total: LatencyCounts): Held | undefined {
  const held = cells.filter((cell) => cell.held && cell.held.intervals > 0);
  if (held.length === 0) return undefined;
  const without = new LatencyCounts();
  without.addCounts(total);
  for (const cell of held) without.subtractCounts(cell.held!.latency);
  const holds = facts.holds.judged.map((hold) => `${hold.cause === 'heap-snapshot' ? 'a heap snapshot' : 'a forced full GC'} of ${hold.service} at ${offset(hold.t, facts.startT)} (${figure(hold.ms)} ms)`);
  return { intervals: held.reduce((sum, cell) => sum + cell.held!.intervals, 0), without, holds: holds.join(', ') };
}

function finding(facts: RunFacts, key: LatencyKey, budget: number, measured: number, total: LatencyCounts, streams: Map<string, LatencyCounts>, held: Held | undefined): Finding {
  const { window } = facts.config;
  const { checks } = facts.load;
  const breaches = checks.breaches.get(key)!;
  const first = breaches.listed[0];
  const perStream = [...streams].map(([stream, counts]) => ({ stream, valueMs: round(counts.summary()[key] ?? 0) }));
  const heldOver = breaches.held > 0 ? ` (${figure(breaches.held)} of them while soak held the target still)` : '';
  const where = breaches.count > 0
    ? `${countOf(breaches.count, 'interval', checks.intervals)} over it on its own${heldOver}, the first at ${offset(first!.t, facts.startT)}.`
    : 'No single interval was over it: the breach is spread across the run.';
  const withoutMs = held && held.without.total > 0 ? (held.without.summary()[key] ?? undefined) : undefined;
  const soaks = withoutMs !== undefined && withoutMs <= budget;
  const heldWords =
    held && withoutMs !== undefined
      ? ` soak held the target still during ${plural(held.intervals, 'interval')} (${held.holds}); without them and the second after each, the ${key} is ${figure(withoutMs)} ms${soaks ? ', within the budget: the breach is soak\u2019s doing, not the target\u2019s' : ', still over the budget'}.`
      : '';
  return {
    kind: 'latency-budget',
    severity: soaks ? 'warn' : 'fail',
    title: soaks ? `${key} latency ${figure(measured)} ms over the ${figure(budget)} ms budget only while soak held the target still` : `${key} latency ${figure(measured)} ms over the ${figure(budget)} ms budget`,
    at: first?.t,
    evidence: {
      summary: `The ${key} latency over the ${describeWindow(window)} was ${figure(measured)} ms (${plural(total.total, 'request')}), above the ${figure(budget)} ms budget. ${where}${heldWords}`,
      percentile: key,
      measuredMs: round(measured),
      budgetMs: budget,
      requests: total.total,
      ...(window ? { window } : {}),
      intervalsOverBudget: breaches.count,
      intervals: checks.intervals,
      ...(held ? { heldIntervals: held.intervals, heldIntervalsOverBudget: breaches.held, ...(withoutMs !== undefined ? { withoutHeldMs: round(withoutMs) } : {}) } : {}),
      ...(perStream.length > 1 ? { streams: perStream } : {}),
      breaches: breaches.listed.map((breach) => ({ ...breach, valueMs: round(breach.valueMs) })),
    },
  };
}

/**
 * Latency percentiles of the whole run (or its window), merged exactly from the interval histograms,
 * against the scenario's budgets. When soak held the target still (facts/holds.ts), the percentile
 * without those intervals is given too, and a breach that is only theirs is a warning, not a failure.
 */
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
    const held = heldPart(facts, cells, total);
    return budgets.flatMap(([key, budget]) => {
      const measured = summary[key]!;
      return measured > budget ? [finding(facts, key, budget, measured, total, streams, held)] : [];
    });
  },
};
