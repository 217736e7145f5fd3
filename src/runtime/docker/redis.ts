import { join } from 'node:path';
import { z } from 'zod';
import { SoakError } from '../../core/errors.js';
import { freePort, waitUntilReady } from '../ports.js';
import type { DependencyKind } from '../types.js';
import { dockerEngine } from './engine.js';
import { ensureImage, resolveImage } from './images.js';
import { startContainer } from './start.js';

const optionsSchema = z
  .object({
    /** e.g. "64mb": with a limit and an eviction policy, a cache-style Redis. */
    maxmemory: z.string().optional(),
    /** Another Redis image; default redis:7, or soak's own where none can be pulled. */
    image: z.string().min(1, { error: 'must not be empty' }).optional(),
  })
  .strict();

/** A throwaway Redis in a container on a free loopback port, persistence off. */
export const dockerRedis: DependencyKind<z.infer<typeof optionsSchema>> = {
  kind: 'redis',
  schema: optionsSchema,
  async start({ name, options, resources, runId, workDir }) {
    const engine = await dockerEngine();
    const image = options.image ?? (await resolveImage(engine, 'redis'));
    if (options.image) await ensureImage(engine, options.image, `dependencies "${name}".image`);
    const port = await freePort();
    const memory = options.maxmemory ? ['--maxmemory', options.maxmemory, '--maxmemory-policy', 'allkeys-lru'] : [];
    const handle = await startContainer(engine, {
      name,
      image,
      cmd: ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...memory],
      env: {},
      mounts: [],
      hostPid: false,
      port,
      stdoutFile: join(workDir, `${name}.stdout.log`),
      stderrFile: join(workDir, `${name}.stderr.log`),
      runId,
      resources,
    });
    if (!(await waitUntilReady({ port, timeoutMs: 10_000, gone: handle.exited }))) {
      throw new SoakError('dependency', `redis "${name}" did not accept connections on 127.0.0.1:${port}`);
    }
    const prefix = name === 'redis' ? '' : `${name.toUpperCase().replace(/-/g, '_')}_`;
    const envFor = (at: number) => ({ [`${prefix}REDIS_URL`]: `redis://127.0.0.1:${at}` });
    return { name, kind: 'redis', handle, host: '127.0.0.1', port, env: envFor(port), envFor };
  },
};
