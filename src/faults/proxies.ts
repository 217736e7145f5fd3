import { SoakError } from '../core/errors.js';
import type { DependencyInstance } from '../runtime/types.js';
import type { FaultConfig } from '../scenario/types.js';
import { startFaultProxy, type FaultProxy } from './proxy/index.js';
import { faultKinds } from './registry.js';

export interface FaultProxies {
  /** By dependency name: what network faults act on (FaultContext.proxies). */
  proxies: Map<string, FaultProxy>;
  /** The proxied dependencies' env vars pointing at their proxies: hand these to targets over the dependencies' own. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Puts a fault proxy in front of every dependency a network fault targets, so the targets talk
 * to the dependency through it from their first connection on. Other dependencies stay direct.
 */
export async function proxiesFor(faults: FaultConfig[], dependencies: DependencyInstance[]): Promise<FaultProxies> {
  const targets = new Map<string, DependencyInstance>();
  for (const fault of faults) {
    const kind = faultKinds.get(fault.kind);
    if (!kind.network) continue;
    const { target } = kind.plan(fault.options);
    const dependency = dependencies.find((candidate) => candidate.name === target);
    if (!dependency) {
      const known = dependencies.map((candidate) => candidate.name);
      throw new SoakError('scenario', `faults "${fault.name}": target: no dependency named "${target}"; network faults act on a dependency${known.length > 0 ? ` (${known.join(', ')})` : ' and the scenario declares none'}`);
    }
    targets.set(target, dependency);
  }

  const proxies = new Map<string, FaultProxy>();
  const close = async () => {
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
  };
  let env: Record<string, string> = {};
  try {
    for (const [name, dependency] of targets) {
      const proxy = await startFaultProxy({ host: dependency.host, port: dependency.port });
      proxies.set(name, proxy);
      env = { ...env, ...dependency.envFor(proxy.port) };
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { proxies, env, close };
}
