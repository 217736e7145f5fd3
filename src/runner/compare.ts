import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyze, compareRuns, defaultRegressionCriteria, diffFindings, readRunFacts, type FindingsDiff, type RunComparison } from '../analyze/index.js';
import { renderCompareHtml } from '../report/index.js';

export interface ComparedRuns {
  reportPath: string;
  comparison: RunComparison;
  findings: FindingsDiff;
  /** Records skipped as malformed in either run, one line per run file, naming the run. */
  skippedRecords: string[];
}

/**
 * Two run directories side by side: each analysed with its own scenario's settings, every shared
 * metric compared, and one HTML report written (default: compare.html in the after run's directory).
 */
export async function compareRunDirs(beforeDir: string, afterDir: string, outPath?: string): Promise<ComparedRuns> {
  const [before, after] = await Promise.all([readRunFacts(resolve(beforeDir)), readRunFacts(resolve(afterDir))]);
  const criteria = { ...defaultRegressionCriteria, warmupMs: after.config.warmupMs };
  const comparison = compareRuns(before, after, criteria);
  const findings = diffFindings(analyze(before), analyze(after));
  const reportPath = resolve(outPath ?? join(after.dir, 'compare.html'));
  await writeFile(reportPath, renderCompareHtml({ before, after, comparison, findings, alpha: criteria.alpha, warmupMs: criteria.warmupMs }));
  const skippedRecords = [before, after].flatMap((run) => (run.skippedRecords ?? []).map((line) => `${run.dir}: ${line}`));
  return { reportPath, comparison, findings, skippedRecords };
}
