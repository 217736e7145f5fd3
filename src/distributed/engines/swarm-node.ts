import { docker } from './docker-cli.js';

/** Streams of this process using a swarm soak made: the last to finish leaves it. */
let users = 0;
let made: Promise<{ gatewayMade: boolean } | undefined> | undefined;

async function networkExists(name: string): Promise<boolean> {
  return (await docker(['network', 'ls', '--filter', `name=^${name}$`, '--format', '{{.Name}}'])) === name;
}

/**
 * Makes this machine a one-node swarm if it is in none (advertised on loopback: nothing outside
 * can join it). The function returned leaves it again once no stream of this run uses it, and
 * removes the gateway network the swarm made; a swarm that was there before is left as it was.
 */
export async function joinSwarm(): Promise<() => Promise<void>> {
  users += 1;
  made ??= (async () => {
    if ((await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])) !== 'inactive') return undefined;
    const gatewayExisted = await networkExists('docker_gwbridge');
    await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
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
