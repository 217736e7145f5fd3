import { join } from 'node:path';
import { z } from 'zod';
import { postgresOptionsSchema, openPostgres, POSTGRES_PASSWORD, POSTGRES_USER, serverSettings } from '../dependencies/postgres-server.js';
import { freePort } from '../ports.js';
import type { DependencyKind } from '../types.js';
import { dockerEngine } from './engine.js';
import { ensureImage, resolveImage } from './images.js';
import { startContainer } from './start.js';

const optionsSchema = postgresOptionsSchema.extend({
  /** Another PostgreSQL image, e.g. "postgres:17"; default postgres:16, or soak's own where none can be pulled. */
  image: z.string().min(1, { error: 'must not be empty' }).optional(),
});

/**
 * A throwaway PostgreSQL in a container on a free loopback port (host networking; PGPORT picks
 * the port in both the official image and soak's). Its data lives in the container and goes with it.
 */
export const dockerPostgres: DependencyKind<z.infer<typeof optionsSchema>> = {
  kind: 'postgres',
  schema: optionsSchema,
  async start({ name, options, resources, runId, workDir }) {
    const engine = await dockerEngine();
    const image = options.image ?? (await resolveImage(engine, 'postgres'));
    if (options.image) await ensureImage(engine, options.image, `dependencies "${name}".image`);
    const port = await freePort();
    const handle = await startContainer(engine, {
      name,
      image,
      cmd: ['postgres', ...Object.entries(serverSettings(options)).flatMap(([key, value]) => ['-c', `${key}=${value}`])],
      env: { POSTGRES_USER: POSTGRES_USER, POSTGRES_PASSWORD: POSTGRES_PASSWORD, PGPORT: String(port), LC_MESSAGES: 'C' },
      mounts: [],
      hostPid: false,
      port,
      stdoutFile: join(workDir, `${name}.stdout.log`),
      stderrFile: join(workDir, `${name}.stderr.log`),
      runId,
      resources,
    });
    return openPostgres({ name, options, handle, port });
  },
};
