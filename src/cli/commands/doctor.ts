import type { Command } from 'commander';
import { dockerDoctor } from '../../runtime/docker/index.js';

/** `soak doctor`: what this machine can run, one line per check; exit 1 when one fails. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check what this machine can run: the Docker engine and the images the docker runtime uses')
    .action(async () => {
      const lines = await dockerDoctor();
      for (const line of lines) process.stdout.write(`${line.ok ? 'ok  ' : 'FAIL'}  ${line.check}: ${line.detail}\n`);
      process.exitCode = lines.every((line) => line.ok) ? 0 : 1;
    });
}
