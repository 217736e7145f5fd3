import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { SoakError } from '../../core/errors.js';
import { localRuntime } from '../local.js';
import { freePort, waitUntilReady } from '../ports.js';
import type { DependencyKind } from '../types.js';

const optionsSchema = z
  .object({
    /** e.g. "64mb": with a limit and an eviction policy, a cache-style Redis. */
    maxmemory: z.string().optional(),
  })
  .strict();

function findRedisServer(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new SoakError('dependency', 'redis: redis-server is not installed (apt-get install -y redis-server)');
  }
}

/** A throwaway Redis on a free loopback port with persistence off: nothing is left on disk. */
export const redisDependency: DependencyKind<z.infer<typeof optionsSchema>> = {
  kind: 'redis',
  schema: optionsSchema,
  async start({ name, options, resources, runId, workDir }) {
    const binary = findRedisServer();
    const port = await freePort();
    const memory = options.maxmemory ? ` --maxmemory ${options.maxmemory} --maxmemory-policy allkeys-lru` : '';
    const handle = await localRuntime.start({
      name,
      options: { cmd: `${binary} --port ${port} --bind 127.0.0.1 --save '' --appendonly no --dir ${workDir}${memory}` },
      env: {},
      port,
      stdoutFile: join(workDir, `${name}.stdout.log`),
      stderrFile: join(workDir, `${name}.stderr.log`),
      resources,
      runId,
      allowRemote: false,
    });
    if (!(await waitUntilReady({ port, timeoutMs: 10_000, gone: handle.exited }))) {
      throw new SoakError('dependency', `redis "${name}" did not accept connections on 127.0.0.1:${port}`);
    }
    const prefix = name === 'redis' ? '' : `${name.toUpperCase().replace(/-/g, '_')}_`;
    const envFor = (at: number) => ({ [`${prefix}REDIS_URL`]: `redis://127.0.0.1:${at}` });
    return { name, kind: 'redis', handle, host: '127.0.0.1', port, env: envFor(port), envFor };
  },
};
