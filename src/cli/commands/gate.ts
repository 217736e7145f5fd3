import type { Command } from 'commander';
import { formatValue as formatBudgetValue } from '../../core/format.js';
import { verdictExitCode } from '../../core/errors.js';
import { printSkippedRecords } from '../print.js';

interface GateFlags {
  baseline?: string;
  budgets?: string;
  out?: string;
  allowPartial?: boolean;
}

export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('judge a run against its budgets (and a baseline run, for regressions); exit 0 pass, 1 fail, 3 incomplete run; writes junit.xml and summary.md')
    .argument('<run-dir>', 'a run directory written by soak run')
    .option('--baseline <run-dir|summary.json>', 'a baseline run to test for regressions against')
    .option('--budgets <file>', 'budgets (JSON, or a .ts/.js default export) over the scenario\'s own, with optional regression criteria')
    .option('--out <dir>', 'where junit.xml and summary.md go (default: the run directory)')
    .option('--allow-partial', 'judge a run that was interrupted or killed on what it gathered, instead of calling it incomplete (exit 3)')
    .action(async (dir: string, flags: GateFlags) => {
      const { gateRun } = await import('../../gate/index.js');
      const { result, junitPath, markdownPath } = await gateRun({
        runDir: dir,
        baseline: flags.baseline,
        budgetsFile: flags.budgets,
        outDir: flags.out,
        stepSummary: process.env.GITHUB_STEP_SUMMARY || undefined,
        allowPartial: flags.allowPartial,
      });
      printSkippedRecords(result.skippedRecords);
      const out = process.stdout;
      out.write(`gate: ${result.verdict.toUpperCase()}  ${result.name}\n`);
      if (result.incomplete) out.write(`  [incomplete] ${result.incomplete.message}\n`);
      for (const check of result.budgets.filter((entry) => !entry.passed)) {
        out.write(`  [budget] ${check.budget} of ${check.scope} (${check.window}): ${formatBudgetValue(check.measured, check.unit)}, limit ${formatBudgetValue(check.limit, check.unit)}\n`);
      }
      for (const finding of result.findings.filter((entry) => entry.severity === 'fail')) out.write(`  [${finding.kind}] ${finding.title}\n`);
      out.write(`junit:   ${junitPath}\nsummary: ${markdownPath}\n`);
      process.exitCode = verdictExitCode(result.verdict);
    });
}
