import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyze, comparisonOutcome, compareRuns, defaultRegressionCriteria, diffFindings, judgedPart, judgeRun, readRunFacts, type ComparisonOutcome, type FindingsDiff, type RunComparison, type RunFacts } from '../analyze/index.js';
import type { Finding } from '../analyze/types.js';
import { ExitCode } from '../core/errors.js';
import { renderCompareHtml } from '../report/index.js';

export interface ComparedRuns {
  reportPath: string;
  comparison: RunComparison;
  findings: FindingsDiff;
  /** Regressed, improved or unchanged, with the regressions, improvements and failing findings it counts. */
  outcome: ComparisonOutcome;
  /** A run that did not carry out its plan, one line each ("after: killed ..."): nothing is compared as if it had. */
  incomplete: string[];
  /** 1 when it regressed, 3 when a run is incomplete, else 0: as soak gate. */
  exitCode: number;
  /** Records skipped as malformed in either run, one line per run file, naming the run. */
  skippedRecords: string[];
}

function incompleteLine(label: string, run: RunFacts, findings: Finding[]): string[] {
  const judged = judgeRun(run, { findings });
  return judged.verdict === 'incomplete' ? [`${label} (${run.dir}): ${judged.incomplete?.message ?? 'incomplete'}`] : [];
}

/**
 * Two run directories side by side: each analysed with its own scenario's settings, every shared
 * metric compared, and one HTML report written (default: compare.html in the after run's directory).
 */
export async function compareRunDirs(beforeDir: string, afterDir: string, outPath?: string): Promise<ComparedRuns> {
  const [before, after] = await Promise.all([readRunFacts(resolve(beforeDir)), readRunFacts(resolve(afterDir))]);
  const criteria = { ...defaultRegressionCriteria, ...judgedPart(after.config) };
  const [beforeFindings, afterFindings] = [analyze(before), analyze(after)];
  const comparison = compareRuns(before, after, criteria, { baseline: beforeFindings, run: afterFindings });
  const findings = diffFindings(beforeFindings, afterFindings);
  const outcome = comparisonOutcome(comparison.checks, findings);
  const incomplete = [...incompleteLine('before', before, beforeFindings), ...incompleteLine('after', after, afterFindings)];
  const reportPath = resolve(outPath ?? join(after.dir, 'compare.html'));
  await writeFile(reportPath, renderCompareHtml({ before, after, comparison, findings, outcome, incomplete, alpha: criteria.alpha, warmupMs: criteria.warmupMs, ...(criteria.window ? { window: criteria.window } : {}) }));
  const skippedRecords = [before, after].flatMap((run) => (run.skippedRecords ?? []).map((line) => `${run.dir}: ${line}`));
  const exitCode = incomplete.length > 0 ? ExitCode.incomplete : outcome.outcome === 'regressed' ? ExitCode.fail : ExitCode.pass;
  return { reportPath, comparison, findings, outcome, incomplete, exitCode, skippedRecords };
}
