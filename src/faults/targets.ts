import { SoakError } from '../core/errors.js';
import type { ServiceHandle } from '../runtime/types.js';
import type { FaultProxy } from './proxy/index.js';
import type { FaultContext } from './types.js';

export function serviceOf(context: FaultContext, name: string): ServiceHandle {
  const handle = context.services.get(name);
  if (!handle) throw new SoakError('scenario', `target: no service named "${name}" (known: ${[...context.services.keys()].join(', ')})`);
  return handle;
}

export function proxyOf(context: FaultContext, name: string): FaultProxy {
  const proxy = context.proxies.get(name);
  if (!proxy) {
    const known = [...context.proxies.keys()];
    throw new SoakError('scenario', `target: "${name}" has no fault proxy; network faults act on a dependency${known.length > 0 ? ` (${known.join(', ')})` : ''}`);
  }
  return proxy;
}
