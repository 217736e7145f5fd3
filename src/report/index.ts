import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFacts } from '../analyze/facts/builder.js';
import type { Finding } from '../analyze/types.js';
import { RunFiles } from '../store/records.js';
import { renderReportHtml } from './html.js';
import { buildSummary, type Summary, type SummaryOptions } from './summary.js';

export { buildSummary, endOf, type EndReason, type FaultWindow, type Summary, type SummaryOptions } from './summary.js';
export { renderPartsHtml, renderReportHtml, reportParts, type ReportParts } from './html.js';
export type { LiveReport } from './page.js';
export { renderCompareHtml } from './compare-html.js';
export type { EndpointFigures, LatencyStats, LoadFigures, LoadSummary, PhaseFigures, StreamFigures } from './load-summary.js';
export type { ServiceSummary, ServiceExit } from './target-summary.js';

/**
 * Writes summary.json and report.html into outDir (normally the run directory itself). A provisional
 * report (of a run still going) goes beside them, as summary.provisional.json and
 * report.provisional.html, so it never takes the place of the run's own; the final report removes it.
 */
export async function writeReport(facts: RunFacts, findings: Finding[], outDir: string, options: SummaryOptions = {}): Promise<{ summaryPath: string; reportPath: string; summary: Summary }> {
  const summary = buildSummary(facts, findings, options);
  const summaryPath = join(outDir, options.provisional ? RunFiles.provisionalSummary : RunFiles.summary);
  const reportPath = join(outDir, options.provisional ? RunFiles.provisionalReport : RunFiles.report);
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`, { mode: 0o600 });
  await writeFile(reportPath, renderReportHtml(facts, findings, summary), { mode: 0o600 });
  if (!options.provisional) await Promise.all([RunFiles.provisionalSummary, RunFiles.provisionalReport, RunFiles.provisionalPdf].map((name) => rm(join(outDir, name), { force: true })));
  return { summaryPath, reportPath, summary };
}
