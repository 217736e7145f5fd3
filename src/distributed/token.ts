import { randomBytes } from 'node:crypto';

/** Where a run's token may be given (to start remote probes before the run); otherwise one is made per run. */
export const TOKEN_ENV = 'SOAK_TOKEN';

/** The run's token: SOAK_TOKEN when set, else 32 random bytes. It is never written to the run directory. */
export function runToken(env: NodeJS.ProcessEnv = process.env): string {
  return env[TOKEN_ENV]?.trim() || randomBytes(32).toString('base64url');
}
