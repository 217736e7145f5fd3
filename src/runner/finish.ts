import { analyzeWithHeapDiffs, readRunFacts, type Finding } from '../analyze/index.js';
import { verdictExitCode } from '../core/errors.js';
import { writeReport, type Summary, type SummaryOptions } from '../report/index.js';

export interface FinishedRun {
  dir: string;
  summary: Summary;
  findings: Finding[];
  reportPath: string;
  summaryPath: string;
  exitCode: number;
}

/**
 * Analyses a run directory from its raw records alone, in one pass, and writes summary.json and
 * report.html. `soak run` calls it at the end; `soak report` calls it on any run, finished or killed.
 */
export async function finishRun(dir: string, options: SummaryOptions = {}): Promise<FinishedRun> {
  const facts = await readRunFacts(dir);
  const findings = await analyzeWithHeapDiffs(facts);
  const { summary, reportPath, summaryPath } = await writeReport(facts, findings, dir, options);
  return { dir, summary, findings, reportPath, summaryPath, exitCode: verdictExitCode(summary.verdict) };
}
