import type { Command } from 'commander';
import { SoakError } from '../../core/errors.js';

/** `soak setup docker`: the images the docker runtime runs, pulled or built once and kept. */
export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('prepare this machine for a runtime: `soak setup docker` pulls the official images, or builds equivalents where no registry is reachable')
    .argument('<runtime>', 'docker')
    .option('--rebuild', "build soak's own images again, base image included")
    .action(async (runtime: string, flags: { rebuild?: boolean }) => {
      if (runtime !== 'docker') throw new SoakError('usage', `setup: unknown runtime "${runtime}" (known: docker)`);
      const { setupDocker } = await import('../../runtime/docker/index.js');
      const started = Date.now();
      const outcomes = await setupDocker({ rebuild: flags.rebuild, log: (line) => process.stderr.write(`soak setup docker: ${line}\n`) });
      for (const outcome of outcomes) process.stdout.write(`${outcome.name}: ${outcome.image} (${outcome.how})\n`);
      process.stdout.write(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    });
}
