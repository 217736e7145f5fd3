import type { FinishedRun } from '../runner/finish.js';

/** The end-of-run lines: verdict, one line per finding, where the files are. */
export function printFinished(finished: FinishedRun, out: NodeJS.WriteStream = process.stdout): void {
  const { summary } = finished;
  printSkippedRecords(summary.run.skippedRecords);
  out.write(`\nverdict: ${summary.verdict.toUpperCase()}  (${finished.findings.length} finding${finished.findings.length === 1 ? '' : 's'})\n`);
  if (summary.run.endReason !== 'completed') out.write(`  run ${summary.run.endReason}${summary.run.endMessage ? `: ${summary.run.endMessage}` : ''}\n`);
  if (summary.run.incomplete) out.write(`  incomplete: ${summary.run.incomplete.message}${summary.verdict === 'incomplete' && ['interrupted', 'killed'].includes(summary.run.incomplete.reason) ? ' (not judged; --allow-partial judges it on what it gathered)' : ''}\n`);
  for (const finding of finished.findings) {
    out.write(`  [${finding.severity}] ${finding.kind}: ${finding.title}\n`);
  }
  out.write(`report:  ${finished.reportPath}\nsummary: ${finished.summaryPath}\n`);
}

/** Records the analysis left out are news on stderr, one line per file. */
export function printSkippedRecords(lines: string[] = [], prefix = ''): void {
  for (const line of lines) process.stderr.write(`soak: ${prefix}${line}\n`);
}
