import type { Finding } from '../types.js';
import type { RegressionCheck } from './check.js';
import type { FindingsDiff } from './metrics.js';

/** What a comparison says happened, and the items it says it of: the headline of compare and of the gate's regression section. */
export interface ComparisonOutcome {
  outcome: 'regressed' | 'improved' | 'unchanged';
  regressions: RegressionCheck[];
  improvements: RegressionCheck[];
  /** Failing findings of the run that the baseline did not have, and of the baseline that the run no longer has. */
  appeared: Finding[];
  disappeared: Finding[];
  /** "regressed: 2 regressions, 1 failing finding appeared". */
  headline: string;
}

const count = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;
const failing = (findings: readonly Finding[]) => findings.filter((finding) => finding.severity === 'fail' && finding.kind !== 'regression');

/**
 * Regressed when a check regressed or a failing finding appeared; else improved when a check improved or
 * a failing finding went away; else unchanged. The counts in the headline are the lists it carries.
 */
export function comparisonOutcome(checks: readonly RegressionCheck[], findings?: FindingsDiff): ComparisonOutcome {
  const regressions = checks.filter((check) => check.outcome === 'regressed');
  const improvements = checks.filter((check) => check.outcome === 'improved');
  const appeared = failing(findings?.appeared ?? []);
  const disappeared = failing(findings?.disappeared ?? []);
  const outcome = regressions.length > 0 || appeared.length > 0 ? 'regressed' : improvements.length > 0 || disappeared.length > 0 ? 'improved' : 'unchanged';
  // What made the outcome first, then what went the other way.
  const parts = [
    regressions.length > 0 || outcome === 'unchanged' ? count(regressions.length, 'regression') : '',
    appeared.length > 0 ? `${count(appeared.length, 'failing finding')} appeared` : '',
    improvements.length > 0 || outcome === 'unchanged' ? count(improvements.length, 'improvement') : '',
    disappeared.length > 0 ? `${count(disappeared.length, 'failing finding')} gone` : '',
  ].filter(Boolean);
  return { outcome, regressions, improvements, appeared, disappeared, headline: `${outcome}: ${parts.join(', ')}` };
}
