import type { Command } from 'commander';
import { printSkippedRecords } from '../print.js';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('one HTML report of two runs overlaid: every metric with its difference and significance, and the findings that appeared or disappeared; exit 0 unchanged or improved, 1 regressed, 3 a run is incomplete')
    .argument('<before-dir>', 'the baseline run directory')
    .argument('<after-dir>', 'the run directory to compare with it')
    .option('--out <file>', 'where the report goes (default: compare.html in <after-dir>)')
    .option('--pdf', 'also print it to a PDF beside it (needs Chromium)')
    .action(async (beforeDir: string, afterDir: string, flags: { out?: string; pdf?: boolean }) => {
      // Loaded when the command runs: a command pays only for the modules it uses.
      const { compareRunDirs } = await import('../../runner/compare.js');
      const { reportPath, findings, outcome, incomplete, exitCode, skippedRecords } = await compareRunDirs(beforeDir, afterDir, flags.out);
      printSkippedRecords(skippedRecords);
      const out = process.stdout;
      out.write(`compare: ${incomplete.length > 0 ? `incomplete, not judged (${outcome.headline})` : outcome.headline}\n`);
      for (const line of incomplete) out.write(`  [incomplete] ${line}\n`);
      for (const check of outcome.regressions) out.write(`  [regression] ${check.finding?.title ?? check.label}\n`);
      for (const check of outcome.improvements) out.write(`  [improved] ${check.label}: ${check.reason}\n`);
      // The failing findings the headline counts, then the notes that came or went apart: they decide nothing.
      for (const finding of outcome.appeared) out.write(`  [appeared] ${finding.kind}: ${finding.title}\n`);
      for (const finding of outcome.disappeared) out.write(`  [gone] ${finding.kind}: ${finding.title}\n`);
      const counted = new Set([...outcome.appeared, ...outcome.disappeared]);
      const came = findings.appeared.map((finding) => ({ finding, word: 'appeared' }));
      const went = findings.disappeared.map((finding) => ({ finding, word: 'gone' }));
      const notes = [...came, ...went].filter(({ finding }) => !counted.has(finding));
      if (notes.length > 0) out.write('  notes:\n');
      for (const { finding, word } of notes) out.write(`  [${word}] ${finding.severity} ${finding.kind}: ${finding.title}\n`);
      if (flags.pdf) {
        const { writePdf } = await import('../../report/pdf.js');
        const pdfPath = reportPath.replace(/\.html?$/i, '') + '.pdf';
        await writePdf(reportPath, pdfPath);
        out.write(`pdf:     ${pdfPath}\n`);
      }
      out.write(`report:  ${reportPath}\n`);
      process.exitCode = exitCode;
    });
}
