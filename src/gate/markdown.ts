import { formatBudgetValue, type BudgetCheck } from '../analyze/budgets/index.js';
import type { RegressionCheck } from '../analyze/regression/index.js';
import { findingsBeyondBudgets, type GateResult } from './result.js';

/** A table cell: no pipes or line breaks from names or messages. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

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

function change(check: RegressionCheck): string {
  if (check.effect === undefined) return '–';
  if (check.metric === 'error-rate') return `${check.effect >= 0 ? '+' : ''}${(check.effect * 100).toFixed(2)} pts`;
  if (check.metric === 'heap-slope') return `${check.effect >= 0 ? '+' : ''}${check.effect} MB/h`;
  // p99 and throughput: relative, worse positive; shown as the direction the figure moved.
  const moved = check.metric === 'throughput' ? -check.effect : check.effect;
  return Number.isFinite(moved) ? `${moved >= 0 ? '+' : ''}${(moved * 100).toFixed(1)}%` : 'from zero';
}

function figure(value: number | null, unit: string): string {
  if (value === null) return '–';
  if (unit === 'share') return `${(value * 100).toFixed(2)}%`;
  return `${Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`;
}

function checkVerdict(check: RegressionCheck): string {
  if (check.untested) return `⚪ not tested: ${check.untested}`;
  if (check.regressed) return '❌ regression';
  return check.p !== undefined && check.p < 0.01 ? '✅ changed, below the minimum effect' : '✅ no significant change';
}

function regressionRows(checks: RegressionCheck[]): string[] {
  return checks.map((check) =>
    row([check.metric, check.subject, figure(check.before, check.unit), figure(check.after, check.unit), change(check), check.p === undefined ? '–' : check.p < 1e-4 ? check.p.toExponential(1) : check.p.toFixed(4), checkVerdict(check)]),
  );
}

const verdictBadge = { pass: '✅ PASS', fail: '❌ FAIL', incomplete: '⚠️ INCOMPLETE' } as const;

/** A Markdown summary for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function renderMarkdown(result: GateResult): string {
  const broken = result.budgets.filter((check) => !check.passed).length;
  const regressed = result.regression?.checks.filter((check) => check.regressed).length ?? 0;
  const failing = result.findings.filter((finding) => finding.severity === 'fail' && finding.kind !== 'regression').length;
  const lines = [
    `## soak gate: ${verdictBadge[result.verdict]} — ${cell(result.name)}`,
    '',
    ...(result.incomplete ? [`> **Incomplete run**: ${cell(result.incomplete.message)}${result.verdict === 'incomplete' ? '; not judged' : '; judged on what it gathered'}.`, ''] : []),
    `${result.budgets.length - broken} of ${result.budgets.length} budgets held · ${failing} failing finding${failing === 1 ? '' : 's'}` +
      (result.regression ? ` · ${regressed} regression${regressed === 1 ? '' : 's'} against \`${cell(result.regression.baseline)}\`` : '') +
      ` · run ${Math.round(result.durationMs / 1000)} s, ended ${result.endReason}`,
    '',
    '### Budgets',
    '',
    row(['', 'budget', 'scope', 'window', 'limit', 'measured']),
    '| --- | --- | --- | --- | --- | --- |',
    ...budgetRows(result.budgets),
  ];
  if (result.regression) {
    lines.push(
      '',
      '### Regression against the baseline',
      '',
      `Per-bucket figures of both runs (${result.regression.window} after the warm-up) compared with a one-sided Mann-Whitney U test (heap: the two Theil-Sen slopes); a regression is a change that is both significant and at least the minimum effect.`,
      '',
      row(['metric', 'subject', 'baseline', 'this run', 'change (per-bucket shift)', 'p (one-sided)', 'verdict']),
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...regressionRows(result.regression.checks),
    );
    for (const check of result.regression.checks.filter((entry) => entry.finding)) lines.push('', `> **${cell(check.finding!.title)}**: ${cell(check.finding!.evidence.summary)}`);
  }
  const findings = findingsBeyondBudgets(result);
  if (findings.length > 0) {
    lines.push('', '### Findings', '', ...findings.map((finding) => `- **${finding.severity}** \`${finding.kind}\`: ${cell(finding.title)}`));
  }
  lines.push('', `<sub>Run directory: \`${cell(result.runDir)}\`</sub>`, '');
  return lines.join('\n');
}
