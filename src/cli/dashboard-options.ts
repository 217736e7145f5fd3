import { randomBytes } from 'node:crypto';
import { SoakError } from '../core/errors.js';
import { isLoopback } from '../core/loopback.js';
import type { DashboardOptions } from '../live/index.js';

/**
 * The dashboard's address from the flags. Off loopback it needs a token: SOAK_DASHBOARD_TOKEN (so a
 * Prometheus configuration can keep one), else a new one for this run, printed in the URL and kept
 * nowhere else.
 */
export function dashboardOptions(port: string | true | undefined, host: string | undefined, flag: string): DashboardOptions {
  const number = port === undefined || port === true ? 0 : Number(port);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) throw new SoakError('usage', `${flag}: expected a port number (0 for a free one), got "${String(port)}"`);
  const address = host ?? '127.0.0.1';
  const token = isLoopback(address) ? process.env.SOAK_DASHBOARD_TOKEN || undefined : process.env.SOAK_DASHBOARD_TOKEN || randomBytes(18).toString('base64url');
  return { host: address, port: number, ...(token ? { token } : {}) };
}

/**
 * Whether `soak run` serves its dashboard: as asked, else when someone may be watching: on a
 * terminal, not in CI (where no one can open a port of the runner, and a listening port is only a cost).
 */
export function dashboardWanted(flag: string | boolean | undefined, host: string | undefined): boolean {
  if (flag === false) return false;
  if (flag !== undefined || host !== undefined) return true;
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}
