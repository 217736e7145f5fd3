import { formatBudgetValue, type BudgetCheck } from '../analyze/budgets/index.js';
import type { RegressionCheck } from '../analyze/regression/index.js';
import type { Finding } from '../analyze/types.js';
import { findingsBeyondBudgets, type GateResult } from './result.js';

/** Characters XML 1.0 cannot hold at all, and the five it must escape. */
const invalidXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
function xml(text: string): string {
  return text.replace(invalidXml, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string; detail: string };
  skipped?: string;
  out?: string;
}

function testcase(entry: Case): string {
  const open = `    <testcase classname="${xml(entry.classname)}" name="${xml(entry.name)}" time="0"`;
  const body = [
    entry.failure ? `      <failure type="${xml(entry.failure.type)}" message="${xml(entry.failure.message)}">${xml(entry.failure.detail)}</failure>` : '',
    entry.skipped ? `      <skipped message="${xml(entry.skipped)}"/>` : '',
    entry.out ? `      <system-out>${xml(entry.out)}</system-out>` : '',
  ].filter(Boolean);
  return body.length > 0 ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

interface Suite {
  text: string;
  tests: number;
  failures: number;
  skipped: number;
}

function suite(name: string, cases: Case[]): Suite {
  const failures = cases.filter((entry) => entry.failure).length;
  const skipped = cases.filter((entry) => entry.skipped).length;
  const text = `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n${cases.map(testcase).join('\n')}\n  </testsuite>`;
  return { text, tests: cases.length, failures, skipped };
}

function budgetCase(check: BudgetCheck, findings: Finding[]): Case {
  const comparison = check.budget === 'minThroughput' ? '>=' : '<=';
  const measured = formatBudgetValue(check.measured, check.unit);
  const line = `${check.budget} of ${check.scope} (${check.window}): ${measured}, budget ${comparison} ${formatBudgetValue(check.limit, check.unit)}; ${check.method}`;
  if (check.passed) return { classname: `soak.budgets.${check.scope}`, name: `${check.budget} ${comparison} ${formatBudgetValue(check.limit, check.unit)}`, out: line };
  const evidence = findings.filter((finding) => finding.kind === check.kind).map((finding) => finding.evidence.summary);
  return {
    classname: `soak.budgets.${check.scope}`,
    name: `${check.budget} ${comparison} ${formatBudgetValue(check.limit, check.unit)}`,
    failure: { type: check.kind, message: line, detail: [line, ...evidence].join('\n') },
  };
}

function regressionCase(check: RegressionCheck): Case {
  const name = `${check.label}: no regression`;
  const shown = (value: number | null | undefined) => (value === null || value === undefined ? '–' : Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value));
  const figures = `baseline ${shown(check.before)} ${check.unit}, this run ${shown(check.after)} ${check.unit}`;
  if (check.untested) return { classname: 'soak.regression', name, skipped: check.untested };
  if (check.finding) return { classname: 'soak.regression', name, failure: { type: 'regression', message: check.finding.title, detail: check.finding.evidence.summary } };
  return { classname: 'soak.regression', name, out: `${figures}; change ${shown(check.effect)} (minimum ${check.minEffect}), one-sided p = ${shown(check.p)}` };
}

function findingCase(finding: Finding): Case {
  const name = `${finding.kind}${finding.service ? ` (${finding.service})` : ''}`;
  if (finding.severity === 'fail') return { classname: 'soak.findings', name, failure: { type: finding.kind, message: finding.title, detail: finding.evidence.summary } };
  return { classname: 'soak.findings', name, out: `[${finding.severity}] ${finding.title}\n${finding.evidence.summary}` };
}

/** A run that did not carry out its plan is a failure of its own, so a CI report never shows it as all green. */
function completenessCase(result: GateResult): Case {
  const name = 'the run carried out its plan';
  if (!result.incomplete) return { classname: 'soak.run', name };
  const message = `incomplete: ${result.incomplete.message}`;
  if (result.verdict === 'incomplete') return { classname: 'soak.run', name, failure: { type: `incomplete-${result.incomplete.reason}`, message, detail: message } };
  return { classname: 'soak.run', name, out: `${message}; judged on what it gathered` };
}

/** JUnit XML as CI systems read it: a suite each for the run, budgets, findings and (with a baseline) regression. */
export function renderJunit(result: GateResult): string {
  const findings = findingsBeyondBudgets(result);
  const suites = [
    suite('run', [completenessCase(result)]),
    suite('budgets', result.budgets.map((check) => budgetCase(check, result.findings))),
    suite('findings', findings.length > 0 ? findings.map(findingCase) : [{ classname: 'soak.findings', name: 'no detector found a problem' }]),
    ...(result.regression ? [suite(`regression against ${result.regression.baseline}`, result.regression.checks.map(regressionCase))] : []),
  ];
  const total = (count: 'tests' | 'failures' | 'skipped') => suites.reduce((sum, entry) => sum + entry[count], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="soak gate: ${xml(result.name)}" tests="${total('tests')}" failures="${total('failures')}" errors="0" skipped="${total('skipped')}" time="${(result.durationMs / 1000).toFixed(1)}">
${suites.map((entry) => entry.text).join('\n')}
</testsuites>
`;
}
