import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectEngine } from '../../src/runtime/docker/engine.js';
import { imageExists, imageSpecs } from '../../src/runtime/docker/images.js';
import { label } from '../../src/runtime/docker/labels.js';

/** Longest wait for the image build `.ci/run` started in the background: debootstrap and three builds take 1–3 min. */
const SETUP_WAIT_MS = 15 * 60_000;

/**
 * `.ci/run` builds the images while the other suites run and names, in SOAK_DOCKER_SETUP_DONE, the
 * file it writes when the build has ended (well or not); the container suites, sorted last, wait for it.
 */
async function setupEnded(): Promise<string | undefined> {
  const marker = process.env.SOAK_DOCKER_SETUP_DONE;
  if (!marker) return undefined;
  const deadline = Date.now() + SETUP_WAIT_MS;
  while (!existsSync(marker)) {
    if (Date.now() > deadline) return `the image build .ci/run started has not ended after ${SETUP_WAIT_MS / 60_000} min`;
    await sleep(1000);
  }
  return undefined;
}

/**
 * Why the container tests cannot run here, or undefined when they can: an engine that answers
 * and the images soak runs (`npx soak setup docker`, which .ci/run does). Printed when they skip.
 */
export async function dockerUnavailable(): Promise<string | undefined> {
  const unfinished = await setupEnded();
  if (unfinished) return unfinished;
  let engine;
  try {
    engine = await connectEngine();
  } catch (error) {
    return (error as Error).message;
  }
  for (const spec of imageSpecs) {
    if (!(await imageExists(engine, spec.official)) && !(await imageExists(engine, spec.local))) {
      return `no ${spec.name} image (${spec.official} or ${spec.local}): run \`npx soak setup docker\``;
    }
  }
  return undefined;
}

/** The reason, printed once per file, so a skipped suite says why in the test output. */
export async function skipReason(suite: string): Promise<string | undefined> {
  const reason = await dockerUnavailable();
  if (reason) process.stdout.write(`skipping ${suite}: ${reason}\n`);
  return reason;
}

/** Ids of containers and images soak labelled that still exist (any owner). */
export async function soakLabelled(): Promise<string[]> {
  const { docker } = await connectEngine();
  const filters = { label: [label.owner] };
  const containers = await docker.listContainers({ all: true, filters });
  const images = await docker.listImages({ filters });
  return [...containers.map((info) => `container ${info.Id.slice(0, 12)} ${info.Labels[label.service]}`), ...images.map((info) => `image ${info.RepoTags?.[0] ?? info.Id}`)];
}
