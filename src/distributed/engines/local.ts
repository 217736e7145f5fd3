import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { TOKEN_ENV } from '../token.js';
import type { LoadEngine } from '../engine.js';

const soakBin = join(packageRoot, 'bin', 'soak.js');

const workerArgs = (connect: string) => [soakBin, 'worker', '--connect', connect];

function stopAll(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  ).then(() => {});
}

/** soak worker processes on this machine, each with its own event loop and open-file limit; the token goes in their environment. */
export const localEngine: LoadEngine = {
  name: 'local',
  connectTimeoutMs: 30_000,
  render: (request) => Array.from({ length: request.count }, () => `${TOKEN_ENV}=${'${SOAK_TOKEN}'} ${[process.execPath, ...workerArgs(request.connect)].join(' ')} &`).join('\n'),
  async launch(request) {
    const children = Array.from({ length: request.count }, () =>
      spawn(process.execPath, workerArgs(request.connect), { env: { ...process.env, [TOKEN_ENV]: request.token }, stdio: ['ignore', 'inherit', 'inherit'] }),
    );
    for (const child of children) child.on('error', () => {});
    return () => stopAll(children);
  },
};
