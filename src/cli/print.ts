import type { FinishedRun } from '../runner/finish.js';

/** The end-of-run lines: verdict, one line per finding, where the files are. */
export function printFinished(finished: FinishedRun, out: NodeJS.WriteStream = process.stdout): void {
  const { summary } = finished;
  out.write(`\nverdict: ${summary.verdict.toUpperCase()}  (${finished.findings.length} finding${finished.findings.length === 1 ? '' : 's'})\n`);
  if (summary.run.endReason !== 'completed') out.write(`  run ${summary.run.endReason}${summary.run.endMessage ? `: ${summary.run.endMessage}` : ''}\n`);
  for (const finding of finished.findings) {
    out.write(`  [${finding.severity}] ${finding.kind}: ${finding.title}\n`);
  }
  out.write(`report:  ${finished.reportPath}\nsummary: ${finished.summaryPath}\n`);
}
