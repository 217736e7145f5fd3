import type { BudgetCheck } from './budgets/check.js';
import type { Finding } from './types.js';

export type Verdict = 'pass' | 'fail';

export interface VerdictInput {
  /** The run-end record's reason; 'unfinished' when there is none. */
  endReason: string;
  findings: readonly Finding[];
  /** Budget checks, when the judge listed them (soak gate). */
  budgets?: readonly BudgetCheck[];
}

/**
 * The one verdict of a run, for summary.json, the report, the exit code and the gate. A run that
 * could not do what it was asked (its target never got ready, a dependency failed) proves nothing:
 * it fails; so does any failing finding or broken budget.
 */
export function verdictOf({ endReason, findings, budgets = [] }: VerdictInput): Verdict {
  const failed = endReason === 'error' || budgets.some((check) => !check.passed) || findings.some((finding) => finding.severity === 'fail');
  return failed ? 'fail' : 'pass';
}
