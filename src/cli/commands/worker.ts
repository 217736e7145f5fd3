import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SoakError } from '../../core/errors.js';
import { parseAddress } from '../../distributed/address.js';
import { TOKEN_ENV } from '../../distributed/token.js';

interface WorkerFlags {
  connect: string;
  tokenFile?: string;
  connectTimeout: string;
}

/** The token from a file (a swarm secret, a mounted Kubernetes Secret) or SOAK_TOKEN: never on the command line, where ps shows it. */
function token(flags: WorkerFlags): string {
  if (flags.tokenFile) {
    try {
      return readFileSync(flags.tokenFile, 'utf8').trim();
    } catch (error) {
      throw new SoakError('usage', `--token-file ${flags.tokenFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const fromEnv = process.env[TOKEN_ENV]?.trim();
  if (!fromEnv) throw new SoakError('usage', `soak worker needs the run's token: set ${TOKEN_ENV} or give --token-file`);
  return fromEnv;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description("drive a share of a run's load for the coordinator (soak run) it connects to; started by the run's engine")
    .requiredOption('--connect <host:port>', "the coordinator's address")
    .option('--token-file <path>', `file holding the run's token (default: the ${TOKEN_ENV} environment variable)`)
    .option('--connect-timeout <seconds>', 'how long to keep trying to reach the coordinator', '60')
    .action(async (flags: WorkerFlags) => {
      const { host, port } = parseAddress(flags.connect, '--connect');
      if (port === 0) throw new SoakError('usage', `--connect: expected host:port, got "${flags.connect}"`);
      const { runWorker } = await import('../../distributed/index.js');
      await runWorker({ host, port, token: token(flags), connectTimeoutMs: Number(flags.connectTimeout) * 1000 });
    });
}
