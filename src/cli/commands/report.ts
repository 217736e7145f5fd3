import { resolve } from 'node:path';
import type { Command } from 'commander';
import { printFinished } from '../print.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('rebuild summary.json and report.html of a run directory from its raw samples (also for runs that were interrupted or killed)')
    .argument('<run-dir>', 'a run directory written by soak run')
    .option('--pdf', 'also write report.pdf (needs Chromium)')
    .option('--allow-partial', 'judge a run that was interrupted or killed on what it gathered, instead of calling it incomplete (exit 3)')
    .action(async (dir: string, flags: { pdf?: boolean; allowPartial?: boolean }) => {
      // Loaded when the command runs: a report pays only for the analysis and the report.
      const { finishRun } = await import('../../runner/finish.js');
      const finished = await finishRun(resolve(dir), { allowPartial: flags.allowPartial });
      if (flags.pdf) {
        const pdfPath = finished.reportPath.replace(/\.html$/, '.pdf');
        const { writePdf } = await import('../../report/pdf.js');
        await writePdf(finished.reportPath, pdfPath);
        process.stdout.write(`pdf:     ${pdfPath}\n`);
      }
      printFinished(finished);
      process.exitCode = finished.exitCode;
    });
}
