import { isIP } from 'node:net';
import { SoakError } from './errors.js';

/** True for 127.0.0.0/8, ::1 and the name localhost: the only places soak sends load by default. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export function assertLoopbackUrl(url: string, allowRemote: boolean, field: string): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new SoakError('scenario', `${field}: "${url}" is not a URL`);
  }
  if (!allowRemote && !isLoopback(host)) {
    throw new SoakError(
      'usage',
      `${field}: refusing to send load to ${host}: only loopback (127.0.0.0/8, ::1) is allowed without --allow-remote`,
    );
  }
}
