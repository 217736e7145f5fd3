import { isIP } from 'node:net';
import { SoakError } from '../core/errors.js';

export interface Address {
  host: string;
  port: number;
}

/** "host:port", "[::1]:port" or a bare host (port 0: any free one); `flag` names where it came from. */
export function parseAddress(text: string, flag: string): Address {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text.trim());
  const port = Number(match?.[3] ?? 0);
  if (!match || port > 65535) throw new SoakError('usage', `${flag}: expected host:port such as 127.0.0.1:7070, got "${text}"`);
  return { host: match[1] ?? match[2]!, port };
}

export function formatAddress({ host, port }: Address): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** An address a peer can connect to: a wildcard listen address is reached through loopback on this machine. */
export function reachable(address: Address): Address {
  return address.host === '0.0.0.0' || address.host === '::' ? { host: '127.0.0.1', port: address.port } : address;
}
