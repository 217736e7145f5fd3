import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyze, configFromScenario } from '../analyze/index.js';
import { compareRuns, defaultRegressionCriteria, diffFindings, type FindingsDiff, type RunComparison } from '../analyze/regression/index.js';
import type { AnalysisConfig, RunData } from '../analyze/types.js';
import { renderCompareHtml } from '../report/compare-html.js';
import type { Scenario } from '../scenario/types.js';
import { readRun } from '../store/reader.js';

export interface ComparedRuns {
  reportPath: string;
  comparison: RunComparison;
  findings: FindingsDiff;
  /** Records skipped as malformed in either run, one line per run file, naming the run. */
  skippedRecords: string[];
}

const configOf = (run: RunData): AnalysisConfig => {
  const scenario = run.meta.scenario as Partial<Scenario>;
  return configFromScenario(scenario.budgets ?? {}, scenario.analysis ?? {});
};

/**
 * Two run directories side by side: each analysed with its own scenario's settings, every shared
 * metric compared, and one HTML report written (default: compare.html in the after run's directory).
 */
export async function compareRunDirs(beforeDir: string, afterDir: string, outPath?: string): Promise<ComparedRuns> {
  const [before, after] = await Promise.all([readRun(resolve(beforeDir)), readRun(resolve(afterDir))]);
  const afterConfig = configOf(after);
  const criteria = { ...defaultRegressionCriteria, warmupMs: afterConfig.warmupMs };
  const comparison = compareRuns(before, after, criteria);
  const findings = diffFindings(analyze(before, configOf(before)), analyze(after, afterConfig));
  const reportPath = resolve(outPath ?? join(after.dir, 'compare.html'));
  await writeFile(reportPath, renderCompareHtml({ before, after, comparison, findings, alpha: criteria.alpha, warmupMs: criteria.warmupMs }));
  const skippedRecords = [before, after].flatMap((run) => (run.skippedRecords ?? []).map((line) => `${run.dir}: ${line}`));
  return { reportPath, comparison, findings, skippedRecords };
}
