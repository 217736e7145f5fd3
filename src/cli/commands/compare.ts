import type { Command } from 'commander';
import { printSkippedRecords } from '../print.js';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('one HTML report of two runs overlaid: every metric with its difference and significance, and the findings that appeared or disappeared')
    .argument('<before-dir>', 'the baseline run directory')
    .argument('<after-dir>', 'the run directory to compare with it')
    .option('--out <file>', 'where the report goes (default: compare.html in <after-dir>)')
    .option('--pdf', 'also print it to a PDF beside it (needs Chromium)')
    .action(async (beforeDir: string, afterDir: string, flags: { out?: string; pdf?: boolean }) => {
      // Loaded when the command runs: a command pays only for the modules it uses.
      const { compareRunDirs } = await import('../../runner/compare.js');
      const { reportPath, comparison, findings, skippedRecords } = await compareRunDirs(beforeDir, afterDir, flags.out);
      printSkippedRecords(skippedRecords);
      const out = process.stdout;
      const regressions = comparison.checks.filter((check) => check.regressed);
      out.write(`compare: ${regressions.length === 0 ? 'no regression' : `${regressions.length} regression${regressions.length === 1 ? '' : 's'}`}\n`);
      for (const check of regressions) out.write(`  [regression] ${check.finding?.title ?? check.label}\n`);
      for (const finding of findings.appeared) out.write(`  [appeared] ${finding.kind}: ${finding.title}\n`);
      for (const finding of findings.disappeared) out.write(`  [disappeared] ${finding.kind}: ${finding.title}\n`);
      if (flags.pdf) {
        const { writePdf } = await import('../../report/pdf.js');
        const pdfPath = reportPath.replace(/\.html?$/i, '') + '.pdf';
        await writePdf(reportPath, pdfPath);
        out.write(`pdf:     ${pdfPath}\n`);
      }
      out.write(`report:  ${reportPath}\n`);
    });
}
