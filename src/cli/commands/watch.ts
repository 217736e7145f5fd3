import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SoakError } from '../../core/errors.js';
import { dashboardOptions } from '../dashboard-options.js';

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('serve the live report and the Prometheus metrics of a run directory, live or finished (a run started elsewhere, or earlier)')
    .argument('<run-dir>', 'a run directory written by soak run')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1); any other than loopback needs a token: SOAK_DASHBOARD_TOKEN, else one is made up and printed')
    .action(async (dir: string, flags: { port?: string; host?: string }) => {
      const options = dashboardOptions(flags.port, flags.host, '--port');
      const runDir = resolve(dir);
      const { readMeta, runDirInUse } = await import('../../store/index.js');
      if (!existsSync(runDir)) throw new SoakError('usage', `${dir}: no such directory`);
      // A run that is starting has no meta.json yet; anything else must be a run soak wrote.
      if (!runDirInUse(runDir)) readMeta(runDir);
      const { serveRunDir } = await import('../../live/index.js');
      const dashboard = await serveRunDir(runDir, options);
      process.stderr.write(`soak: watching ${dir}\n  live report: ${dashboard.url}\n  Prometheus:  ${dashboard.metricsUrl}\n(Ctrl-C to stop)\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
      await dashboard.close();
    });
}
