import type { BudgetCheck } from './budgets/check.js';
import { completeness, type Completeness, type IncompleteReason } from './completeness.js';
import type { RunFacts } from './facts/builder.js';
import type { Finding } from './types.js';

export type Verdict = 'pass' | 'fail' | 'incomplete';

/** What summary.json and the gate say of a run that did not carry out its plan. */
export interface IncompleteNote {
  reason: IncompleteReason;
  message: string;
}

export interface Judgement {
  verdict: Verdict;
  completeness: Completeness;
  /** Present when the run did not carry out its plan, also when `allowPartial` judged it anyway. */
  incomplete?: IncompleteNote;
}

export interface JudgeInput {
  findings: readonly Finding[];
  /** Budget checks, when the judge listed them (soak gate). */
  budgets?: readonly BudgetCheck[];
  /** Judge a run cut short on what it gathered instead of calling it incomplete. */
  allowPartial?: boolean;
}

/**
 * The one verdict of a run, for summary.json, the report, the exit code of `soak run` and
 * `soak report`, and the gate. A run that ended in an error could not be done: it fails; so does
 * any failing finding or broken budget of a run that carried out its plan. One cut short
 * (interrupted, killed, its target never ready) is incomplete unless `allowPartial` asks to judge
 * it on what it has; one where nothing got through is judged only on what failed (a target that
 * crashed at once): nothing can pass it.
 */
export function judgeRun(facts: RunFacts, { findings, budgets = [], allowPartial = false }: JudgeInput): Judgement {
  const state = completeness(facts);
  const failed = budgets.some((check) => !check.passed) || findings.some((finding) => finding.severity === 'fail');
  const verdict = verdictOf(facts.end?.reason === 'error', state, failed, allowPartial);
  return state.complete ? { verdict, completeness: state } : { verdict, completeness: state, incomplete: { reason: state.reason, message: state.message } };
}

function verdictOf(errored: boolean, state: Completeness, failed: boolean, allowPartial: boolean): Verdict {
  if (errored) return 'fail';
  if (state.complete) return failed ? 'fail' : 'pass';
  if (state.cutShort && !allowPartial) return 'incomplete';
  if (failed) return 'fail';
  return state.served > 0 ? 'pass' : 'incomplete';
}
