import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { SoakError } from '../../core/errors.js';
import { durationMs } from '../../core/fields.js';
import { preloadPath } from '../../probe/collector.js';
import { shellArgv } from '../shell.js';
import type { Runtime, ServiceStart } from '../types.js';
import { buildImage, tarOf } from './build.js';
import { dockerEngine, type DockerEngine } from './engine.js';
import { ensureImage, resolveImage } from './images.js';
import { runLabels } from './labels.js';
import { startContainer, type ContainerSpec } from './start.js';

const optionsSchema = z
  .object({
    /** An image to run, e.g. "my-api:1.4" (pulled when missing and a registry answers). */
    image: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** A directory with a Dockerfile: soak builds it for the run and removes the image after. */
    build: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** Command line run with /bin/sh -c; without image or build it runs in soak's Node image. Default: the image's own. */
    cmd: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** Without image or build: the host directory mounted (at the same path) and used as the working directory; default the current one. */
    cwd: z.string().optional(),
    /** What asks the service to stop, as for a local target: SIGTERM (default) or SIGINT. */
    stopSignal: z.enum(['SIGTERM', 'SIGINT'], { error: 'expected "SIGTERM" or "SIGINT"' }).optional(),
    /** How long it may take to stop before it is killed (default 5s). */
    stopTimeout: durationMs.optional(),
  })
  .strict()
  .superRefine((options, context) => {
    if (options.image && options.build) context.addIssue({ code: 'custom', path: ['build'], message: 'give image or build, not both' });
    if (!options.image && !options.build && !options.cmd) {
      context.addIssue({ code: 'custom', path: ['cmd'], message: 'required: a command to run in soak\'s Node image, or give image or build' });
    }
    if (options.cwd !== undefined && (options.image || options.build)) {
      context.addIssue({ code: 'custom', path: ['cwd'], message: 'only without image or build (it is mounted into soak\'s Node image)' });
    }
  });

type DockerOptions = z.infer<typeof optionsSchema>;

/** Builds the target's Dockerfile as soak-run/<service>:<run id>, removed with the run. */
async function buildTarget(engine: DockerEngine, request: ServiceStart & { options: DockerOptions }): Promise<string> {
  const dir = resolve(request.options.build!);
  if (!existsSync(join(dir, 'Dockerfile'))) throw new SoakError('scenario', `${request.name}.build: no Dockerfile in ${dir}`);
  const tag = `soak-run/${request.name}:${request.runId}`;
  request.resources.add(`remove image ${tag}`, () => engine.docker.getImage(tag).remove({ force: true }).catch(() => {}));
  await buildImage(engine, tarOf([{ dir, names: ['.'] }]), { tag, labels: runLabels(request.runId, request.name), what: `${request.name}.build` });
  return tag;
}

/** Image, mounts and user: an image of the user's own runs as it is; a bare command runs in soak's Node image on the project directory. */
async function placement(engine: DockerEngine, request: ServiceStart & { options: DockerOptions }): Promise<Pick<ContainerSpec, 'image' | 'mounts' | 'workingDir' | 'user'>> {
  const { options } = request;
  if (options.build) return { image: await buildTarget(engine, request), mounts: [] };
  if (options.image) {
    await ensureImage(engine, options.image, `${request.name}.image`);
    return { image: options.image, mounts: [] };
  }
  const dir = resolve(options.cwd ?? '.');
  if (!existsSync(dir)) throw new SoakError('scenario', `${request.name}.cwd: ${dir} does not exist`);
  const { uid, gid } = userInfo();
  // Files the target writes into the project belong to whoever runs soak, as with the local runtime.
  return { image: await resolveImage(engine, 'node'), mounts: [{ path: dir, readOnly: false }], workingDir: dir, user: `${uid}:${gid}` };
}

/**
 * Targets in containers (testcontainers on the local Docker engine). A Node target is probed as a
 * local one is: the preload's directory is mounted read-only at its host path, NODE_OPTIONS
 * requires it, and with host networking the samples reach the collector on 127.0.0.1.
 */
export const dockerRuntime: Runtime<DockerOptions> = {
  kind: 'docker',
  schema: optionsSchema,
  async start(request) {
    const engine = await dockerEngine();
    const where = await placement(engine, request);
    return startContainer(engine, {
      ...where,
      mounts: [...where.mounts, { path: dirname(preloadPath), readOnly: true }],
      name: request.name,
      cmd: request.options.cmd ? shellArgv(request.options.cmd) : undefined,
      env: { ...request.env, ...(request.port !== undefined ? { PORT: String(request.port) } : {}), SOAK_RUN_ID: request.runId },
      hostPid: true,
      stopSignal: request.options.stopSignal,
      stopGraceMs: request.options.stopTimeout,
      port: request.port,
      stdoutFile: request.stdoutFile,
      stderrFile: request.stderrFile,
      runId: request.runId,
      resources: request.resources,
    });
  },
};
