import { Command, CommanderError } from 'commander';
import { ExitCode, isSoakError } from '../core/errors.js';
import { soakVersion } from '../runner/version.js';
import { registerCompare } from './commands/compare.js';
import { registerDoctor } from './commands/doctor.js';
import { registerFault } from './commands/fault.js';
import { registerGate } from './commands/gate.js';
import { registerInit } from './commands/init.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSetup } from './commands/setup.js';
import { registerWatch } from './commands/watch.js';
import { registerWorker } from './commands/worker.js';

function fail(message: string, code: number): void {
  process.stderr.write(`soak: ${message}\n`);
  process.exitCode = code;
}

export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  const program = new Command('soak')
    .description('load-and-soak test harness for Node.js services')
    .version(soakVersion)
    .option('--debug', 'show stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .showSuggestionAfterError(true);
  registerInit(program);
  registerRun(program);
  registerReport(program);
  registerWatch(program);
  registerGate(program);
  registerFault(program);
  registerCompare(program);
  registerSetup(program);
  registerDoctor(program);
  registerWorker(program);

  try {
    await program.parseAsync(argv.filter((arg) => arg !== '--debug'), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return;
      fail(error.message.replace(/^error: /, ''), ExitCode.usage);
    } else if (isSoakError(error)) {
      fail(error.message, error.exitCode);
      if (debug) process.stderr.write(`${error.stack}\n${error.cause instanceof Error ? `caused by: ${error.cause.stack}\n` : ''}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      fail(`internal error: ${message}${debug ? `\n${(error as Error).stack}` : ' (run with --debug for the stack trace)'}`, ExitCode.fail);
    }
  }
}
