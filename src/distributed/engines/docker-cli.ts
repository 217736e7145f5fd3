import { execFile } from 'node:child_process';
import { SoakError } from '../../core/errors.js';

/** Runs the docker CLI (Swarm services and secrets are CLI verbs soak needs few of); `input` goes to its stdin. */
export function docker(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new SoakError('runtime', `docker ${args[0]} ${args[1] ?? ''}: ${(stderr || error.message).trim().split('\n')[0]}`));
      else resolve(stdout.trim());
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
