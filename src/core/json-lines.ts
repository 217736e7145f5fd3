import type { Socket } from 'node:net';

/**
 * Splits a socket's stream into lines, keeping a partial line for the next chunk and skipping any
 * line longer than `maxLineBytes`: nothing a peer sends can make the reader grow without bound.
 */
export function readLines(socket: Socket, onLine: (line: string) => void, maxLineBytes = 256 * 1024): void {
  let pending = '';
  let skipping = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const line = pending + chunk.slice(start, end);
      pending = '';
      if (!skipping) onLine(line);
      skipping = false;
      start = end + 1;
    }
    if (skipping) return;
    pending += chunk.slice(start);
    if (pending.length > maxLineBytes) {
      pending = '';
      skipping = true;
    }
  });
}

/** The JSON value of a line, or undefined for a line that is not JSON. */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
