import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyzeWithHeapDiffs, budgetChecks, compareRegressions, configFromScenario, describeWindow, judgeRun, readRunFacts } from '../analyze/index.js';
import { readMeta, storedScenario } from '../store/index.js';
import { loadBaseline } from './baseline.js';
import { loadGateFile, mergeBudgets, regressionCriteria, type GateFile } from './budgets-file.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { GateResult } from './result.js';

export interface GateOptions {
  runDir: string;
  /** A baseline run directory or its summary.json. */
  baseline?: string;
  /** Budgets over the scenario's own, and regression criteria. */
  budgetsFile?: string;
  /** Where junit.xml and summary.md go (default: the run directory). */
  outDir?: string;
  /** $GITHUB_STEP_SUMMARY: summary.md is appended to it when set. */
  stepSummary?: string;
  /** Judge a run cut short on what it gathered instead of calling it incomplete. */
  allowPartial?: boolean;
}

export interface GateOutput {
  result: GateResult;
  junitPath: string;
  markdownPath: string;
  markdown: string;
}

/**
 * Judges a finished run against its budgets (the scenario's, overridden by a budgets file) and,
 * with a baseline, tests it for regressions; writes junit.xml and summary.md. Reads only the records,
 * so it can gate any run directory, including one copied from another machine.
 */
export async function gateRun(options: GateOptions): Promise<GateOutput> {
  const file: GateFile = options.budgetsFile ? await loadGateFile(options.budgetsFile) : { budgets: {}, regression: {} };
  const runDir = resolve(options.runDir);
  const scenario = storedScenario(readMeta(runDir));
  const config = configFromScenario(mergeBudgets(scenario.budgets, file.budgets), scenario.analysis);
  const criteria = regressionCriteria(file.regression, config.warmupMs);
  const baseline = options.baseline ? await loadBaseline(options.baseline, criteria.window) : undefined;
  const facts = await readRunFacts(runDir, config);
  // As in the run's own report: a memory leak names the types its heap diff found kept.
  const findings = await analyzeWithHeapDiffs(facts);
  const budgets = budgetChecks(facts, findings);
  const regression = baseline ? { baseline: baseline.label, window: describeWindow(criteria.window), checks: compareRegressions(baseline.data, facts, criteria) } : undefined;
  const regressions = regression?.checks.flatMap((check) => (check.finding ? [check.finding] : [])) ?? [];
  const endReason = facts.end?.reason ?? 'unfinished';
  const allFindings = [...findings, ...regressions];
  const { verdict, incomplete } = judgeRun(facts, { findings: allFindings, budgets, allowPartial: options.allowPartial });
  const result: GateResult = {
    verdict,
    ...(incomplete ? { incomplete } : {}),
    name: facts.meta.name,
    runDir,
    durationMs: facts.endT - facts.startT,
    endReason,
    budgets,
    ...(regression ? { regression } : {}),
    findings: allFindings,
    ...(facts.skippedRecords ? { skippedRecords: facts.skippedRecords } : {}),
  };

  const outDir = resolve(options.outDir ?? runDir);
  await mkdir(outDir, { recursive: true });
  const junitPath = join(outDir, 'junit.xml');
  const markdownPath = join(outDir, 'summary.md');
  const markdown = renderMarkdown(result);
  await writeFile(junitPath, renderJunit(result));
  await writeFile(markdownPath, markdown);
  if (options.stepSummary) await appendFile(options.stepSummary, `${markdown}\n`);
  return { result, junitPath, markdownPath, markdown };
}
