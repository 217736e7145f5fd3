import { SoakError } from '../../core/errors.js';
import type { DockerEngine } from './engine.js';

/**
 * The images soak itself runs: an official one where a registry is reachable, else an
 * equivalent `soak setup docker` builds on a Debian base (Debian's PostgreSQL is 15).
 */
export interface ImageSpec {
  name: 'node' | 'postgres' | 'redis';
  official: string;
  local: string;
  /** Build context under images/ (see setup.ts). */
  context: string;
}

export const BASE_IMAGE = 'soak/debian:bookworm';

export const imageSpecs: ImageSpec[] = [
  { name: 'node', official: 'node:20-slim', local: 'soak/node:20', context: 'node' },
  { name: 'postgres', official: 'postgres:16', local: 'soak/postgres:15', context: 'postgres' },
  { name: 'redis', official: 'redis:7', local: 'soak/redis:7', context: 'redis' },
];

export function imageSpec(name: ImageSpec['name']): ImageSpec {
  return imageSpecs.find((spec) => spec.name === name)!;
}

export function imageExists(engine: DockerEngine, image: string): Promise<boolean> {
  return engine.client.image.exists(engine.tc.ImageName.fromString(image));
}

/** First line of an engine error, without the "(HTTP code 404) ..." preamble dockerode adds. */
export function engineMessage(error: unknown): string {
  const text = String((error as { json?: { message?: string } }).json?.message ?? (error as Error).message ?? error);
  return text.split('\n')[0]!.replace(/^\(HTTP code \d+\)[^-]*- /, '');
}

/** Pulls an image; resolves to why not when it cannot (no registry, unknown image). */
export async function pullImage(engine: DockerEngine, image: string): Promise<string | undefined> {
  try {
    await engine.client.image.pull(engine.tc.ImageName.fromString(image), { force: false, platform: undefined });
    return (await imageExists(engine, image)) ? undefined : 'the pull ended without the image';
  } catch (error) {
    return engineMessage(error);
  }
}

/**
 * The image to run for one of soak's services: the official image when it is here or can be
 * pulled, else the one `soak setup docker` built. Neither: a one-line error saying what to run.
 */
export async function resolveImage(engine: DockerEngine, name: ImageSpec['name']): Promise<string> {
  const spec = imageSpec(name);
  if (await imageExists(engine, spec.official)) return spec.official;
  if (await imageExists(engine, spec.local)) return spec.local;
  const why = await pullImage(engine, spec.official);
  if (why === undefined) return spec.official;
  throw new SoakError('runtime', `docker runtime: no ${name} image: ${spec.official} cannot be pulled (${why}) and ${spec.local} is not built (run \`npx soak setup docker\`)`);
}

/** An image a scenario names: present, or pulled; else a one-line error naming the field. */
export async function ensureImage(engine: DockerEngine, image: string, field: string): Promise<void> {
  if (await imageExists(engine, image)) return;
  const why = await pullImage(engine, image);
  if (why !== undefined) throw new SoakError('runtime', `${field}: image "${image}" is not on this machine and cannot be pulled: ${why}`);
}
