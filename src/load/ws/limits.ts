import { readFileSync } from 'node:fs';
import { SoakError } from '../../core/errors.js';

/** Files soak needs open besides the connections: run files, the target's pipes, the probe. */
const RESERVE = 256;

/** The soft limit on open files of this process (what `ulimit -n` shows), when the OS tells. */
export function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!match) return undefined;
    return match[1] === 'unlimited' ? Infinity : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** Fails before the load starts when the connections asked for cannot be opened. */
export function assertFileLimit(connections: number, stream: string): void {
  const limit = openFileLimit();
  const needed = connections + RESERVE;
  if (limit === undefined || needed <= limit) return;
  throw new SoakError(
    'load',
    `load "${stream}": ${connections} WebSocket connections need about ${needed} open files, but the limit (ulimit -n) is ${limit}; raise it, e.g. \`ulimit -n ${needed * 2}\`, before starting soak (the target inherits it and needs as many)`,
  );
}
