import { label, ownerAlive, ownerId } from '../../runtime/docker/labels.js';
import { docker } from './docker-cli.js';

/** On the node of a swarm soak made: who made it, and whether the gateway network was its too ("owner|gateway"). */
const MADE_BY = 'dev.soak.swarm';

/** Streams of this process using a swarm soak made: the last to finish leaves it. */
let users = 0;
let made: Promise<{ gatewayMade: boolean } | undefined> | undefined;

async function networkExists(name: string): Promise<boolean> {
  return (await docker(['network', 'ls', '--filter', `name=^${name}$`, '--format', '{{.Name}}'])) === name;
}

/**
 * What soak processes that are gone (killed with -9) left in the swarm: their services and secrets
 * (their tasks have ended: a worker exits once its coordinator is gone); and the swarm itself when
 * one of them made it, which this process then owns and leaves. Undefined: the swarm is not soak's.
 */
async function sweep(): Promise<{ gatewayMade: boolean } | undefined> {
  const services = (await docker(['service', 'ls', '--filter', `label=${label.owner}`, '--format', '{{.Name}}']).catch(() => '')).split('\n').filter(Boolean);
  for (const name of services) {
    const owner = await docker(['service', 'inspect', '--format', `{{index .Spec.Labels "${label.owner}"}}`, name]).catch(() => '');
    if (owner && !ownerAlive(owner)) await docker(['service', 'rm', name]).catch(() => {});
  }
  const secrets = await docker(['secret', 'ls', '--filter', `label=${label.owner}`, '--format', `{{.Name}} {{.Label "${label.owner}"}}`]).catch(() => '');
  for (const [name, owner] of secrets.split('\n').filter(Boolean).map((line) => line.split(' '))) {
    if (name && owner && !ownerAlive(owner)) await docker(['secret', 'rm', name]).catch(() => {});
  }
  const node = await docker(['info', '--format', '{{.Swarm.NodeID}}']);
  const [maker, gateway] = (await docker(['node', 'inspect', node, '--format', `{{index .Spec.Labels "${MADE_BY}"}}`]).catch(() => '')).split('|');
  if (!maker || ownerAlive(maker)) return undefined;
  await docker(['node', 'update', '--label-add', `${MADE_BY}=${ownerId}|${gateway ?? ''}`, node]);
  return { gatewayMade: gateway === 'gateway' };
}

/**
 * Makes this machine a one-node swarm if it is in none (advertised on loopback: nothing outside
 * can join it). The function returned leaves it again once no stream of this run uses it, and
 * removes the gateway network the swarm made; a swarm that was there before is left as it was.
 */
export async function joinSwarm(): Promise<() => Promise<void>> {
  users += 1;
  made ??= (async () => {
    if ((await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])) !== 'inactive') return sweep();
    const gatewayExisted = await networkExists('docker_gwbridge');
    await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    const node = await docker(['info', '--format', '{{.Swarm.NodeID}}']);
    await docker(['node', 'update', '--label-add', `${MADE_BY}=${ownerId}|${gatewayExisted ? '' : 'gateway'}`, node]);
    return { gatewayMade: !gatewayExisted };
  })();
  const swarm = await made.catch((error: unknown) => {
    users -= 1;
    made = undefined;
    throw error;
  });
  return async () => {
    users -= 1;
    if (users > 0 || !swarm) return;
    made = undefined;
    await docker(['swarm', 'leave', '--force']);
    if (swarm.gatewayMade) await docker(['network', 'rm', 'docker_gwbridge']).catch(() => {});
  };
}
