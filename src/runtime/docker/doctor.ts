import { isSoakError } from '../../core/errors.js';
import { connectEngine, type DockerEngine } from './engine.js';
import { imageExists, imageSpecs } from './images.js';

export interface DoctorLine {
  check: string;
  ok: boolean;
  detail: string;
}

/** What the engine cannot do that a fault needs, from `docker info`. */
async function missingFeatures(engine: DockerEngine): Promise<string[]> {
  const info = await engine.docker.info();
  const missing: string[] = [];
  if (info.CpuCfsQuota === false) missing.push('no CPU quotas (starve cpu)');
  if (info.MemoryLimit === false) missing.push('no memory limits (starve memory)');
  if (info.SwapLimit === false) missing.push('no memory+swap limits (a starved container may swap)');
  return missing;
}

/**
 * Whether containers can run here and why not: the engine (reached the way testcontainers
 * reaches it), what it lacks for faults, and which image each of soak's services would use.
 */
export async function dockerDoctor(): Promise<DoctorLine[]> {
  let engine: DockerEngine;
  try {
    engine = await connectEngine();
  } catch (error) {
    if (!isSoakError(error)) throw error;
    const detail = `${error.message.replace(/^docker runtime: /, '').replace(/; run `npx soak doctor`\)$/, ')')}; install and start one with: apt-get install -y docker.io && dockerd &`;
    return [{ check: 'docker engine', ok: false, detail }];
  }
  const missing = await missingFeatures(engine);
  const lines: DoctorLine[] = [
    { check: 'docker engine', ok: true, detail: `Docker ${engine.client.info.containerRuntime.serverVersion} at ${engine.address}${missing.length > 0 ? `; ${missing.join(', ')}` : ''}` },
  ];
  for (const spec of imageSpecs) {
    const found = (await imageExists(engine, spec.official)) ? spec.official : (await imageExists(engine, spec.local)) ? spec.local : undefined;
    lines.push({
      check: `docker image ${spec.name}`,
      ok: found !== undefined,
      detail: found ?? `neither ${spec.official} nor ${spec.local} is here: run \`npx soak setup docker\` (pulls where a registry answers, else builds)`,
    });
  }
  return lines;
}
