import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { SoakError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { buildImage, followToEnd, tarOf } from './build.js';
import { connectEngine, type DockerEngine } from './engine.js';
import { BASE_IMAGE, engineMessage, imageExists, imageSpecs, pullImage, type ImageSpec } from './images.js';
import { label } from './labels.js';

const run = promisify(execFile);
const contexts = join(packageRoot, 'src/runtime/docker/images');

export interface SetupOutcome {
  name: string;
  image: string;
  how: 'present' | 'pulled' | 'built';
}

/** debootstrap (default mirror) into a temp dir, then `docker import` of that tree as the base image. */
async function createBaseImage(engine: DockerEngine, log: (line: string) => void): Promise<void> {
  if (userInfo().uid !== 0) throw new SoakError('runtime', `soak setup docker: building ${BASE_IMAGE} needs root (debootstrap)`);
  await run('sh', ['-c', 'command -v debootstrap']).catch(() => {
    throw new SoakError('runtime', 'soak setup docker: debootstrap is not installed (apt-get install -y debootstrap)');
  });
  const root = mkdtempSync(join(tmpdir(), 'soak-debootstrap-'));
  try {
    log(`${BASE_IMAGE}: debootstrap --variant=minbase bookworm (about 30 s)`);
    await run('debootstrap', ['--variant=minbase', 'bookworm', join(root, 'tree')], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      const last = `${error.stderr ?? ''}\n${error.stdout ?? ''}`.trim().split('\n').at(-1) || error.message;
      throw new SoakError('runtime', `soak setup docker: debootstrap failed: ${last}`);
    });
    log(`${BASE_IMAGE}: docker import`);
    const [repo, tag] = BASE_IMAGE.split(':') as [string, string];
    const stream = await engine.docker.importImage(tarOf([{ dir: join(root, 'tree'), names: ['.'] }]), {
      repo,
      tag,
      // An imported tree has no image config: PATH is set here so Dockerfiles can extend it.
      changes: [`LABEL ${label.image}=base`, 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["bash"]'],
    });
    await followToEnd(engine, stream);
  } catch (error) {
    if (error instanceof SoakError) throw error;
    throw new SoakError('runtime', `soak setup docker: docker import failed: ${engineMessage(error)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The build context of one of soak's images; the Node image's also carries this very node binary, so targets run on the Node soak runs on. */
function buildInput(spec: ImageSpec): { context: Readable; buildargs: Record<string, string> } {
  const own = { dir: join(contexts, spec.context), names: ['.'] };
  if (spec.name !== 'node') return { context: tarOf([own]), buildargs: {} };
  const node = { dir: dirname(process.execPath), names: [basename(process.execPath)] };
  return { context: tarOf([own, node]), buildargs: { NODE_BINARY: basename(process.execPath) } };
}

/**
 * Makes the images soak runs available: the official ones when they are here or a registry
 * gives them, else soak's own, built on a Debian base made with debootstrap. Images already
 * present are kept, so a second run takes a fraction of a second; `rebuild` builds soak's images again.
 */
export async function setupDocker(options: { rebuild?: boolean; log: (line: string) => void }): Promise<SetupOutcome[]> {
  const engine = await connectEngine();
  const outcomes: SetupOutcome[] = [];
  const toBuild: ImageSpec[] = [];
  for (const spec of imageSpecs) {
    if (options.rebuild) toBuild.push(spec);
    else if (await imageExists(engine, spec.official)) outcomes.push({ name: spec.name, image: spec.official, how: 'present' });
    else if (await imageExists(engine, spec.local)) outcomes.push({ name: spec.name, image: spec.local, how: 'present' });
    else if ((await pullImage(engine, spec.official)) === undefined) outcomes.push({ name: spec.name, image: spec.official, how: 'pulled' });
    else toBuild.push(spec);
  }
  if (toBuild.length === 0) return outcomes;

  if (options.rebuild || !(await imageExists(engine, BASE_IMAGE))) await createBaseImage(engine, options.log);
  for (const spec of toBuild) {
    options.log(`${spec.local}: docker build`);
    const { context, buildargs } = buildInput(spec);
    await buildImage(engine, context, { tag: spec.local, labels: { [label.image]: spec.name }, what: `soak setup docker: ${spec.local}`, buildargs });
    outcomes.push({ name: spec.name, image: spec.local, how: 'built' });
  }
  return outcomes;
}
