import type Dockerode from 'dockerode';
import type { ContainerRuntimeClient } from 'testcontainers';
import { SoakError } from '../../core/errors.js';
import { engineAddress, whyNoEngine } from './engine-check.js';
import { removeLeftovers } from './leftovers.js';
import { startReaper } from './reaper-handle.js';

type Testcontainers = typeof import('testcontainers');

export interface DockerEngine {
  /** The testcontainers module, loaded on first use: runs without containers never pay for it. */
  tc: Testcontainers;
  client: ContainerRuntimeClient;
  docker: Dockerode;
  address: string;
}

/**
 * soak removes what it creates itself (labels, a reaper process of its own, a sweep at start), so
 * testcontainers' Ryuk is off: its image would have to be pulled and it would sit on a bridge
 * network. Everything soak runs uses host networking and is reached on 127.0.0.1.
 */
function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
}

/** Connects to the engine, or explains in one line why there is none. */
export async function connectEngine(): Promise<DockerEngine> {
  configureTestcontainers();
  const tc = await import('testcontainers');
  try {
    const client = await tc.getContainerRuntimeClient();
    const docker = client.container.dockerode;
    // testcontainers may have fallen back to the standard socket: say which engine is in use.
    const { socketPath, protocol, host, port } = docker.modem as { socketPath?: string; protocol?: string; host?: string; port?: number };
    return { tc, client, docker, address: socketPath ? `unix://${socketPath}` : `${protocol ?? 'http'}://${host}:${port}` };
  } catch {
    const address = engineAddress();
    const reason = (await whyNoEngine(address)) ?? 'testcontainers could not use it';
    throw new SoakError('runtime', `docker runtime: no Docker engine at ${address} (${reason}; run \`npx soak doctor\`)`);
  }
}

let engine: Promise<DockerEngine> | undefined;

/**
 * The engine for starting containers, once per process. The first call also removes what
 * soak processes that died left behind, and starts the reaper that removes this process's
 * containers should it die without cleaning up.
 */
export function dockerEngine(): Promise<DockerEngine> {
  if (engine) return engine;
  engine = (async () => {
    const connected = await connectEngine();
    await removeLeftovers(connected.docker);
    startReaper();
    return connected;
  })();
  // A failed connection is not kept: the engine may be started before the next try.
  engine.catch(() => (engine = undefined));
  return engine;
}
