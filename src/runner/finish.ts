import { configFromScenario } from '../analyze/index.js';
import type { Finding } from '../analyze/types.js';
import { verdictExitCode } from '../core/errors.js';
import { analyzeWithHeapDiffs } from '../heap/index.js';
import { writeReport, type Summary } from '../report/index.js';
import type { Scenario } from '../scenario/types.js';
import { readRun } from '../store/reader.js';

export interface FinishedRun {
  dir: string;
  summary: Summary;
  findings: Finding[];
  reportPath: string;
  summaryPath: string;
  exitCode: number;
}

/**
 * Analyses a run directory from its raw records alone and writes summary.json and report.html.
 * `soak run` calls it at the end; `soak report` calls it on any run, finished or killed.
 */
export async function finishRun(dir: string, options: { allowPartial?: boolean } = {}): Promise<FinishedRun> {
  const run = await readRun(dir);
  const scenario = run.meta.scenario as Partial<Scenario>;
  const findings = await analyzeWithHeapDiffs(run, configFromScenario(scenario.budgets ?? {}, scenario.analysis ?? {}));
  const { summary, reportPath, summaryPath } = await writeReport(run, findings, dir, options);
  return { dir, summary, findings, reportPath, summaryPath, exitCode: verdictExitCode(summary.verdict) };
}
