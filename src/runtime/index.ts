import { Registry } from '../core/registry.js';
import { dockerRuntime } from './docker/index.js';
import { externalRuntime } from './external.js';
import { localRuntime } from './local.js';
import type { Runtime } from './types.js';

export type * from './types.js';
export { freePort, assertPortFree, waitUntilReady } from './ports.js';
export { tailLines } from './stderr-tail.js';
export { sweepLeftovers, type Leftovers } from './leftovers.js';

/** Runtimes by name: where and how a service runs. */
export const runtimes = new Registry<Runtime>('runtime');
runtimes.register('local', localRuntime);
runtimes.register('external', externalRuntime);
runtimes.register('docker', dockerRuntime);
