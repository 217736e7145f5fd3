import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFacts } from '../analyze/facts/builder.js';
import type { Finding } from '../analyze/types.js';
import { RunFiles } from '../store/records.js';
import { renderReportHtml } from './html.js';
import { buildSummary, type Summary, type SummaryOptions } from './summary.js';

export { buildSummary, endOf, type EndReason, type FaultWindow, type Summary, type SummaryOptions } from './summary.js';
export { renderReportHtml } from './html.js';
export { renderCompareHtml } from './compare-html.js';
export type { EndpointFigures, LatencyStats, LoadFigures, LoadSummary, PhaseFigures, StreamFigures } from './load-summary.js';
export type { ServiceSummary, ServiceExit } from './target-summary.js';

/** Writes summary.json and report.html into outDir (normally the run directory itself). */
export async function writeReport(facts: RunFacts, findings: Finding[], outDir: string, options: SummaryOptions = {}): Promise<{ summaryPath: string; reportPath: string; summary: Summary }> {
  const summary = buildSummary(facts, findings, options);
  const summaryPath = join(outDir, RunFiles.summary);
  const reportPath = join(outDir, RunFiles.report);
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`, { mode: 0o600 });
  await writeFile(reportPath, renderReportHtml(facts, findings, summary), { mode: 0o600 });
  return { summaryPath, reportPath, summary };
}
