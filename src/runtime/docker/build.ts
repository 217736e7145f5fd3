import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { SoakError } from '../../core/errors.js';
import type { DockerEngine } from './engine.js';
import { engineMessage } from './images.js';

/** A tar stream of files: `tar -c -C dir1 name... -C dir2 name...`, each group from its own directory. */
export function tarOf(groups: { dir: string; names: string[] }[]): Readable {
  const args = ['-c', ...groups.flatMap((group) => ['-C', group.dir, ...group.names])];
  const tar = spawn('tar', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return tar.stdout;
}

/** The builder's own lines; what is left is the output of the commands the Dockerfile runs. */
const builderChatter = /^(Step \d+\/\d+ :|---> |Removing intermediate container|Successfully (built|tagged))/;

interface Progress {
  stream?: string;
  error?: string;
}

/**
 * Reads an engine progress stream (build, import) to its end. A failed step is reported inside
 * the stream, not as an HTTP error: it is kept and thrown, with the last line of output before it.
 */
export function followToEnd(engine: DockerEngine, stream: NodeJS.ReadableStream): Promise<void> {
  let last: string | undefined;
  let failure: string | undefined;
  return new Promise<void>((resolve, reject) => {
    engine.docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(error);
        else if (failure) reject(new Error(`${failure}${last ? ` (last output: ${last})` : ''}`));
        else resolve();
      },
      (event: Progress) => {
        failure ??= event.error;
        for (const line of (event.stream ?? '').split('\n')) if (line.trim() && !builderChatter.test(line.trim())) last = line.trim();
      },
    );
  });
}

/** Builds an image from a tar of its context, with host networking like everything else soak runs (apt reaches its mirror from there). */
export async function buildImage(engine: DockerEngine, context: Readable, options: { tag: string; labels: Record<string, string>; what: string; buildargs?: Record<string, string> }): Promise<void> {
  try {
    const stream = await engine.docker.buildImage(context, { t: options.tag, labels: options.labels, buildargs: options.buildargs, networkmode: 'host', rm: true, forcerm: true });
    await followToEnd(engine, stream);
  } catch (error) {
    throw new SoakError('runtime', `${options.what}: docker build failed: ${engineMessage(error)}`);
  }
}
