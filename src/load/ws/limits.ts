import { SoakError } from '../../core/errors.js';
import { openFileLimit, OPEN_FILES_RESERVE } from '../open-files.js';

/** Fails before the load starts when the connections asked for cannot be opened. */
export function assertFileLimit(connections: number, stream: string): void {
  const limit = openFileLimit();
  const needed = connections + OPEN_FILES_RESERVE;
  if (limit === undefined || needed <= limit) return;
  throw new SoakError(
    'load',
    `load "${stream}": ${connections} WebSocket connections need about ${needed} open files, but the limit (ulimit -n) is ${limit}; raise it, e.g. \`ulimit -n ${needed * 2}\`, before starting soak (the target inherits it and needs as many)`,
  );
}
