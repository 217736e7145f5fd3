import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last lines of a log file, reading only its end: a service's stderr can be large after a night. */
export function tailLines(file: string, lines = 20, maxBytes = 16_384): string[] {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const all = text.split('\n').filter((line) => line.trim() !== '');
    // The first line may be cut mid-way when the window starts inside it.
    if (length < size) all.shift();
    return all.slice(-lines).map((line) => (line.length > 500 ? `${line.slice(0, 500)}…` : line));
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
