import { pCell } from '../core/format.js';
import { formatBudgetValue, type BudgetCheck } from '../analyze/budgets/index.js';
import { comparisonOutcome, type CheckOutcome, type RegressionCheck } from '../analyze/regression/index.js';
import type { Finding } from '../analyze/types.js';
import { shiftWords, testedWords, wholeWords } from '../report/index.js';
import type { GateResult } from './result.js';

/** A table cell: no pipes or line breaks from names or messages. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function budgetRows(checks: BudgetCheck[]): string[] {
  return checks.map((check) =>
    row([
      check.passed ? '✅' : '❌',
      check.budget,
      check.scope,
      check.window,
      `${check.budget === 'minThroughput' ? '≥' : '≤'} ${formatBudgetValue(check.limit, check.unit)}`,
      formatBudgetValue(check.measured, check.unit),
    ]),
  );
}

const MARK: Record<CheckOutcome, string> = { regressed: '❌', improved: '✅', unchanged: '✅', untested: '⚪' };

function regressionRows(checks: RegressionCheck[]): string[] {
  return checks.map((check) =>
    row([check.metric, check.subject, testedWords(check), shiftWords(check), pCell(check.pMoved), wholeWords(check), `${MARK[check.outcome]} ${check.verdict}`, check.reason || '–']),
  );
}

function regressionSection(regression: NonNullable<GateResult['regression']>): string[] {
  const outcome = comparisonOutcome(regression.checks, regression.findings);
  const kinds = (findings: Finding[]) => findings.map((finding) => `\`${finding.kind}\``).join(', ');
  return [
    '',
    `### Against the baseline: ${outcome.headline}`,
    '',
    `Per-bucket figures of both runs (${regression.window} after the warm-up) compared with a one-sided Mann-Whitney U test and their shift estimated with Hodges-Lehmann ` +
      `(heap: the two Theil-Sen slopes, unless both runs' memory-leak verdicts agree); buckets that resemble their neighbours (lag-1 autocorrelation) are tested as means of blocks of them, long enough to count as independent. ` +
      '"Tested" is the median bucket (or block) of each run, "whole run" each run\'s figure over the whole stretch. ' +
      'A regression is a change that is both significant and at least the minimum effect, or a whole-run change past the large effect, however few the buckets.',
    '',
    row(['metric', 'subject', 'tested: baseline → this run', 'shift (95% CI)', 'p (one-sided, as it moved)', 'whole run: baseline → this run', 'verdict', 'why']),
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...regressionRows(regression.checks),
    ...outcome.regressions.flatMap((check) => (check.finding ? ['', `> **${cell(check.finding.title)}**: ${cell(check.finding.evidence.summary)}`] : [])),
    ...(outcome.appeared.length > 0 ? ['', `Failing findings the baseline did not have: ${kinds(outcome.appeared)}.`] : []),
    ...(outcome.disappeared.length > 0 ? ['', `Failing findings of the baseline this run no longer has: ${kinds(outcome.disappeared)}.`] : []),
  ];
}

const findingLine = (finding: Finding, note = '') => `- **${finding.severity}** \`${finding.kind}\`: ${cell(finding.title)}${note}`;

const verdictBadge = { pass: '✅ PASS', fail: '❌ FAIL', incomplete: '⚠️ INCOMPLETE' } as const;

/** A Markdown summary for a pull-request comment or $GITHUB_STEP_SUMMARY: every count it gives is of a list it shows. */
export function renderMarkdown(result: GateResult): string {
  const broken = result.budgets.filter((check) => !check.passed);
  const brokenKinds = new Set(broken.map((check) => check.kind));
  const failing = result.findings.filter((finding) => finding.severity === 'fail' && finding.kind !== 'regression');
  const notes = result.findings.filter((finding) => finding.severity !== 'fail');
  const against = result.regression ? ` · against \`${cell(result.regression.baseline)}\`: ${comparisonOutcome(result.regression.checks, result.regression.findings).headline}` : '';
  const lines = [
    `## soak gate: ${verdictBadge[result.verdict]} — ${cell(result.name)}`,
    '',
    ...(result.incomplete ? [`> **Incomplete run**: ${cell(result.incomplete.message)}${result.verdict === 'incomplete' ? '; not judged' : '; judged on what it gathered'}.`, ''] : []),
    `${result.budgets.length - broken.length} of ${result.budgets.length} budgets held · ${count(failing.length, 'failing finding')}${against} · run ${Math.round(result.durationMs / 1000)} s, ended ${result.endReason}`,
    '',
    '### Budgets',
    '',
    row(['', 'budget', 'scope', 'window', 'limit', 'measured']),
    '| --- | --- | --- | --- | --- | --- |',
    ...budgetRows(result.budgets),
  ];
  if (result.regression) lines.push(...regressionSection(result.regression));
  if (failing.length > 0) {
    lines.push('', `### Failing findings (${failing.length})`, '', ...failing.map((finding) => findingLine(finding, brokenKinds.has(finding.kind) ? ' (its budget is above)' : '')));
  }
  if (notes.length > 0) lines.push('', `### Notes (${notes.length}; they do not fail the run)`, '', ...notes.map((finding) => findingLine(finding)));
  lines.push('', `<sub>Run directory: \`${cell(result.runDir)}\`</sub>`, '');
  return lines.join('\n');
}
