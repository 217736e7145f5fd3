import { figure, megabytes, offset, percent, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { EventLoopStalls } from '../facts/event-loop.js';
import type { Detector, Finding } from '../types.js';
import { eventLoopMaxBudget, judgeStalls } from './stall-rule.js';

function finding(facts: RunFacts, service: string, stalls: EventLoopStalls): Finding {
  const { config } = facts;
  const first = stalls.gc.first!;
  const worst = stalls.gc.worst!;
  const budgetMs = config.gcPauseMs ?? eventLoopMaxBudget(facts);
  const { perHour } = judgeStalls(stalls.gc, stalls.judgedMs);
  // Only a budget fails a GC stall: long collections of a big heap are a sizing question, not a bug in the code.
  const severity = budgetMs !== undefined && worst.maxMs >= budgetMs ? 'fail' : 'warn';
  const pausedMs = [...stalls.gcTotals.values()].reduce((sum, kind) => sum + kind.pauseMs, 0);
  const share = stalls.judgedMs > 0 ? pausedMs / stalls.judgedMs : 0;
  const kinds = Object.fromEntries([...stalls.gcTotals].map(([kind, totals]) => [kind, { count: totals.count, pauseMs: round(totals.pauseMs), longestMs: round(totals.longestMs) }]));
  const heap = `${megabytes(worst.heapUsed)} of heap in use`;
  return {
    kind: 'gc-pause',
    severity,
    title: `Garbage collection paused ${service} up to ${figure(worst.maxMs)} ms (${worst.gcKind ?? 'gc'}, ${heap})`,
    service,
    at: first.t,
    evidence: {
      summary:
        `The event loop of ${service} stalled past ${figure(config.eventLoopMaxMs)} ms in ${plural(stalls.gc.count, 'interval')} because of garbage collection, first at ${offset(first.t, facts.startT)}; ` +
        `the worst, ${figure(worst.maxMs)} ms at ${offset(worst.t, facts.startT)}, had a ${worst.gcKind ?? ''} collection of ${figure(worst.longestGcMs)} ms with ${heap}. ` +
        `Collections paused it ${percent(share)} of the judged time. This is not blocking code: a large live heap takes long to mark; ` +
        `a smaller heap, or a budget (budgets.gcPause) if these pauses are acceptable, settles it. ` +
        (budgetMs === undefined ? 'With no budget set, it is a warning.' : `Budget ${figure(budgetMs)} ms: ${severity === 'fail' ? 'broken' : 'kept'}.`),
      stalls: stalls.gc.count,
      stallsPerHour: round(perHour),
      firstAt: first.t,
      worstAt: worst.t,
      worstStallMs: round(worst.maxMs),
      worstGcMs: round(worst.longestGcMs),
      worstGcKind: worst.gcKind ?? null,
      heapUsedAtWorst: worst.heapUsed,
      heapTotalAtWorst: worst.heapTotal,
      pausedShare: round(share),
      gcByKind: kinds,
      budgetMs: budgetMs ?? null,
      judgedMs: Math.round(stalls.judgedMs),
      intervals: stalls.gc.listed.map((stall) => ({ t: stall.t, pid: stall.pid, maxMs: round(stall.maxMs), gcMs: round(stall.longestGcMs), kind: stall.gcKind ?? null })),
    },
  };
}

/**
 * Event-loop stalls a garbage collection explains (one collection of at least half the stall, see
 * facts/event-loop.ts): a warning by default, a failure over budgets.gcPause or a set eventLoopMax.
 */
export const gcPause: Detector = {
  name: 'gc-pause',
  detect(facts) {
    return [...facts.services.values()].flatMap((service) => (service.stalls.gc.count > 0 ? [finding(facts, service.name, service.stalls)] : []));
  },
};
