import type { BudgetCheck, Finding, IncompleteNote, RegressionCheck, Verdict } from '../analyze/index.js';

/** What `soak gate` decided and on what: the input of junit.xml and summary.md. */
export interface GateResult {
  verdict: Verdict;
  /** Present when the run did not carry out its plan (the verdict is incomplete unless --allow-partial). */
  incomplete?: IncompleteNote;
  name: string;
  runDir: string;
  durationMs: number;
  endReason: string;
  budgets: BudgetCheck[];
  /** Present when a baseline was given. */
  regression?: { baseline: string; window: string; checks: RegressionCheck[] };
  /** The run's findings (detectors and regressions alike). */
  findings: Finding[];
  /** Run files with records skipped as malformed, one line each. */
  skippedRecords?: string[];
}

/** Findings not already reported by a broken budget of the same kind. */
export function findingsBeyondBudgets(result: GateResult): Finding[] {
  const reported = new Set(result.budgets.filter((check) => !check.passed).map((check) => check.kind));
  return result.findings.filter((finding) => finding.kind !== 'regression' && !reported.has(finding.kind));
}
