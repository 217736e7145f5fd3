import { packageRoot } from '../../core/paths.js';
import { connectEngine } from '../../runtime/docker/engine.js';
import { imageSpec, resolveImage } from '../../runtime/docker/images.js';
import { label, ownerId } from '../../runtime/docker/labels.js';
import { TOKEN_PLACEHOLDER, type LaunchRequest, type LoadEngine } from '../engine.js';
import { docker } from './docker-cli.js';
import { joinSwarm } from './swarm-node.js';

/** Where soak is mounted in a worker's container: the install that runs `soak run` (on every node of a real swarm, the same path). */
const SOAK_IN_CONTAINER = '/soak';

const serviceName = (request: LaunchRequest) => `soak-${request.runId}-${request.stream}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63);

function createArgs(request: LaunchRequest, secret: string): string[] {
  return [
    'service', 'create', '--detach',
    '--name', serviceName(request),
    '--replicas', String(request.count),
    '--restart-condition', 'none',
    '--network', 'host',
    '--label', `${label.owner}=${ownerId}`,
    '--label', `${label.run}=${request.runId}`,
    '--secret', secret,
    '--mount', `type=bind,src=${packageRoot},dst=${SOAK_IN_CONTAINER},readonly`,
    request.image,
    'node', `${SOAK_IN_CONTAINER}/bin/soak.js`, 'worker', '--connect', request.connect, '--token-file', `/run/secrets/${secret}`,
  ];
}

/**
 * A Docker Swarm service with one task per worker, on the host network, so a worker reaches the
 * coordinator at the address it was given and the target as the run does. The token is a swarm
 * secret (a file in the task, not in the service's spec). On a machine in no swarm, soak makes it
 * a one-node swarm for the run and leaves it afterwards.
 */
export const swarmEngine: LoadEngine = {
  name: 'swarm',
  connectTimeoutMs: 90_000,
  render: (request) =>
    [
      `printf '%s' "${TOKEN_PLACEHOLDER}" | docker secret create ${serviceName(request)} -`,
      `docker ${createArgs({ ...request, image: request.image || imageSpec('node').official }, serviceName(request)).join(' ')}`,
    ].join('\n'),
  async launch(request) {
    const leave = await joinSwarm();
    const name = serviceName(request);
    const removals: (() => Promise<unknown>)[] = [leave];
    const remove = async () => {
      for (const removal of removals.reverse()) await removal().catch(() => {});
    };
    try {
      await docker(['secret', 'create', '--label', `${label.owner}=${ownerId}`, '--label', `${label.run}=${request.runId}`, name, '-'], request.token);
      removals.push(() => docker(['secret', 'rm', name]));
      // Without --worker-image, the node image soak runs targets in (soak itself is mounted in).
      const image = request.image || (await resolveImage(await connectEngine(), 'node'));
      await docker(createArgs({ ...request, image }, name));
      removals.push(() => docker(['service', 'rm', name]));
    } catch (error) {
      await remove();
      throw error;
    }
    return remove;
  },
};
