import { countOf, formatNumber, offset, percent, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import { errorRateOf, failedOf } from '../facts/figures.js';
import { byStream, cellsIn, tallyOf } from '../facts/queries.js';
import type { Detector, Finding } from '../types.js';

const sortedOutcomes = (outcomes: Record<string, number>) => Object.fromEntries(Object.entries(outcomes).sort((a, b) => b[1] - a[1]));

function finding(facts: RunFacts): Finding[] {
  const { config } = facts;
  const budget = config.errorRate;
  const window = config.window;
  const cells = cellsIn(facts, window);
  const total = tallyOf(cells);
  if (total.sent === 0) return [];
  const rate = errorRateOf(total) ?? 0;
  if (rate <= budget) return [];

  const { checks } = facts.load;
  const worst = checks.worst!;
  const outcomes = sortedOutcomes(total.outcomes);
  const streams = Object.fromEntries([...byStream(cells)].map(([stream, tally]) => [stream, { sent: tally.sent, failed: failedOf(tally), rate: round(errorRateOf(tally) ?? 0) }]));
  const top = Object.entries(outcomes)
    .slice(0, 3)
    .map(([outcome, count]) => `${outcome} ${formatNumber(count)}`)
    .join(', ');
  return [
    {
      kind: 'error-rate',
      severity: 'fail',
      title: `${percent(rate)} of requests failed (budget ${percent(budget)})`,
      at: checks.firstOverBudgetAt,
      evidence: {
        summary:
          `${formatNumber(failedOf(total))} of ${plural(total.sent, 'request')} failed (${percent(rate)}, budget ${percent(budget)}): ` +
          `${plural(total.errors, 'error')} and ${plural(total.timeouts, 'timeout')}. The worst interval, at ${offset(worst.t, facts.startT)} on stream ${worst.stream}, ` +
          `failed ${percent(worst.rate)}; ${countOf(checks.overBudget, 'interval', checks.intervals)} over budget. Outcomes: ${top}.`,
        rate: round(rate),
        ...(window ? { window } : {}),
        budget,
        sent: total.sent,
        errors: total.errors,
        timeouts: total.timeouts,
        intervalsOverBudget: checks.overBudget,
        intervals: checks.intervals,
        firstOverBudgetAt: checks.firstOverBudgetAt,
        worstInterval: { ...worst, rate: round(worst.rate) },
        outcomes,
        ...(Object.keys(streams).length > 1 ? { streams } : {}),
      },
    },
  ];
}

/** Errors and timeouts over the requests (in the window), across all load streams, against the error-rate budget. */
export const errorRate: Detector = {
  name: 'error-rate',
  detect: finding,
};
