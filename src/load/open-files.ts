import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Files soak needs open besides a stream's sockets: run files, the targets' pipes, the probe. */
export const OPEN_FILES_RESERVE = 256;

function limits(): { soft: number; hard: number } | undefined {
  try {
    const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!match) return undefined;
    const value = (text: string) => (text === 'unlimited' ? Infinity : Number(text));
    return { soft: value(match[1]!), hard: value(match[2]!) };
  } catch {
    return undefined;
  }
}

/** The soft limit on open files of this process (what `ulimit -n` shows), when the OS tells. */
export function openFileLimit(): number | undefined {
  return limits()?.soft;
}

/**
 * Raises this process's soft limit toward `wanted`, as far as its hard limit allows, which needs
 * no privilege (util-linux `prlimit`; Node has no setrlimit). Raising the hard limit needs
 * CAP_SYS_RESOURCE and is left to whoever starts soak. Returns the soft limit after.
 */
export function raiseOpenFileLimit(wanted: number): number | undefined {
  const current = limits();
  if (!current || current.soft >= wanted || current.soft >= current.hard) return current?.soft;
  const target = Math.min(current.hard, wanted);
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${Number.isFinite(current.hard) ? current.hard : 'unlimited'}`], { stdio: 'ignore' });
  } catch {
    // No prlimit here: the limit stays as it was.
  }
  return openFileLimit();
}
