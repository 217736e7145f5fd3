import { execFile } from 'node:child_process';
import { isLoopback } from '../../core/loopback.js';
import { SoakError } from '../../core/errors.js';
import { label } from '../../runtime/docker/labels.js';
import { TOKEN_PLACEHOLDER, type LoadEngine } from '../engine.js';
import { jobManifest } from './job-manifest.js';

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new SoakError('runtime', `kubectl ${args[0]}: ${(stderr || error.message).trim().split('\n')[0]}`));
      else resolve(stdout.trim());
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

const hostOf = (address: string) => address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

/**
 * An Indexed Job, one pod per worker, applied with kubectl in its current context. The image must
 * hold soak at /soak (README, "Beyond one machine"); pods must reach the coordinator, so it must
 * listen on an address they can route to (--listen, --advertise).
 */
export const kubernetesEngine: LoadEngine = {
  name: 'kubernetes',
  connectTimeoutMs: 180_000,
  // Built from soak's checkout and pushed where the cluster pulls from (README, "Beyond one machine").
  defaultImage: 'soak/worker',
  render: (request) => jobManifest({ ...request, token: TOKEN_PLACEHOLDER }),
  async launch(request) {
    if (isLoopback(hostOf(request.connect))) {
      throw new SoakError('usage', `--engine kubernetes: pods cannot reach the coordinator at ${request.connect}; give --listen 0.0.0.0:7070 --advertise <an address of this machine pods can reach>:7070`);
    }
    await kubectl(['config', 'current-context']).catch(() => {
      throw new SoakError('usage', '--engine kubernetes: kubectl has no current context; print the manifest with --dry-run and apply it where one is');
    });
    await kubectl(['apply', '-f', '-'], jobManifest(request));
    return async () => {
      await kubectl(['delete', 'job,secret', '-l', `${label.run}=${request.runId}`, '--ignore-not-found', '--wait=false']);
    };
  },
};
