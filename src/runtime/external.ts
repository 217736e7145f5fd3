import { connect } from 'node:net';
import { z } from 'zod';
import { SoakError } from '../core/errors.js';
import { assertLoopbackUrl } from '../core/loopback.js';
import type { Runtime, ServiceExit, ServiceHandle } from './types.js';

const optionsSchema = z
  .object({
    /** Base URL of a service soak does not start, e.g. http://127.0.0.1:3000 */
    url: z.url({ error: 'expected a URL such as http://127.0.0.1:3000' }),
  })
  .strict();

function reachable(url: URL, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer within ${timeoutMs / 1000}s`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const unsupported = (what: string) => async () => {
  throw new SoakError('unsupported', `cannot ${what} an external target: soak did not start it`);
};

/**
 * A service that is already running. soak only sends it load: it cannot probe it from the
 * inside, pause or restart it. Still held to the loopback rule.
 */
export const externalRuntime: Runtime<z.infer<typeof optionsSchema>> = {
  kind: 'external',
  external: true,
  schema: optionsSchema,
  async start(request) {
    assertLoopbackUrl(request.options.url, request.allowRemote, `${request.name}.url`);
    const url = new URL(request.options.url);
    const problem = await reachable(url, 5000);
    if (problem) throw new SoakError('runtime', `target "${request.name}" at ${url.origin} is unreachable: ${problem}`);
    const never = new Promise<ServiceExit>(() => {});
    const handle: ServiceHandle = {
      name: request.name,
      pid: 0,
      url: url.origin,
      exited: never,
      onExit: () => {},
      stop: async () => {},
      signal: () => {},
      kill: () => {
        throw new SoakError('unsupported', `cannot kill an external target: soak did not start it`);
      },
      pause: unsupported('pause'),
      resume: unsupported('resume'),
      restart: unsupported('restart'),
    };
    return handle;
  },
};
