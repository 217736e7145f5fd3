import type { Command } from 'commander';

/** `soak doctor`: what this machine can run, one line per check; exit 1 when one fails. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check what this machine can run: the Docker engine and the images the docker runtime uses')
    .action(async () => {
      const { dockerDoctor } = await import('../../runtime/docker/index.js');
      const lines = await dockerDoctor();
      for (const line of lines) process.stdout.write(`${line.ok ? 'ok  ' : 'FAIL'}  ${line.check}: ${line.detail}\n`);
      process.exitCode = lines.every((line) => line.ok) ? 0 : 1;
    });
}
