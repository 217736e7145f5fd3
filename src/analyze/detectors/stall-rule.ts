import { figure, HOUR_MS, plural } from '../../core/format.js';
import { storedScenario } from '../../store/meta.js';
import type { RunFacts } from '../facts/builder.js';
import type { StallTally } from '../facts/event-loop.js';
import type { Severity } from '../types.js';

/**
 * How a run's stalls are judged, by how long and how often, not by one event (an 8-hour soak is not
 * failed by one 150 ms stall, a 60-s run of a service that stalls every few seconds is):
 * - a stall of 1 s or more fails: every request of that second waited for it;
 * - so do repeated stalls: at least 3, at a rate of 6 or more per hour of the judged time (one every
 *   10 minutes); in a short run 3 stalls are such a rate;
 * - isolated shorter stalls warn.
 */
export const FAILING_STALL_MS = 1000;
export const REPEATED_STALLS = 3;
export const REPEATED_PER_HOUR = 6;

export interface StallJudgement {
  severity: Severity;
  /** Stalls per hour of judged time. */
  perHour: number;
  /** Why, in words: "1 stall of 1,240 ms (1 s or more fails)". */
  reason: string;
}

/** `budgetMs`: a budget the scenario set, which any stall over fails. */
export function judgeStalls(stalls: StallTally, judgedMs: number, budgetMs?: number): StallJudgement {
  const worst = stalls.worst?.maxMs ?? 0;
  const perHour = judgedMs > 0 ? (stalls.count / judgedMs) * HOUR_MS : 0;
  const rate = `${plural(stalls.count, 'stall')} (${figure(perHour)} per hour judged)`;
  if (budgetMs !== undefined && worst >= budgetMs) return { severity: 'fail', perHour, reason: `${rate}, the worst ${figure(worst)} ms over the ${figure(budgetMs)} ms budget` };
  if (worst >= FAILING_STALL_MS) return { severity: 'fail', perHour, reason: `${rate}, the worst ${figure(worst)} ms: a stall of ${FAILING_STALL_MS / 1000} s or more fails` };
  if (stalls.count >= REPEATED_STALLS && perHour >= REPEATED_PER_HOUR) return { severity: 'fail', perHour, reason: `${rate}: ${REPEATED_STALLS} or more at ${REPEATED_PER_HOUR} or more per hour are repeated stalls, which fail` };
  return { severity: 'warn', perHour, reason: `${rate}, none of ${FAILING_STALL_MS / 1000} s: isolated stalls warn` };
}

/** The eventLoopMax the scenario itself set (not the default threshold): a budget any stall over fails. */
export function eventLoopMaxBudget(facts: RunFacts): number | undefined {
  const { eventLoopMax, eventLoopP99 } = storedScenario(facts.meta).budgets;
  return eventLoopMax !== undefined || eventLoopP99 !== undefined ? facts.config.eventLoopMaxMs : undefined;
}
