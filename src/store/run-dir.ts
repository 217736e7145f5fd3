import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SoakError } from '../core/errors.js';
import { ownerToken, tokenAlive } from '../core/owner.js';
import { RunFiles } from './records.js';

/** Where a run goes unless told: reports/20261122-184501-quickstart, relative to the working directory. */
export function defaultRunDir(name: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return join('reports', `${stamp}-${name}`);
}

/** Held by the one process writing the run: its owner token (see core/owner.ts). */
export const LOCK_FILE = 'run.lock';

/** What soak writes into a run directory, and what `--force` removes to make room for a new run. */
const runEntries = new Set<string>([
  RunFiles.meta,
  RunFiles.probe,
  RunFiles.load,
  RunFiles.events,
  RunFiles.childExits,
  RunFiles.summary,
  RunFiles.report,
  'report.pdf',
  'junit.xml',
  'summary.md',
  'compare.html',
  'heap',
  'control',
  'clinic',
]);
const isRunEntry = (name: string) => runEntries.has(name) || /\.std(out|err)\.log$/.test(name);

export interface RunDirClaim {
  dir: string;
  /** Lets another run write here; idempotent. */
  release(): void;
}

function takeLock(dir: string): boolean {
  try {
    const fd = openSync(join(dir, LOCK_FILE), 'wx', 0o600);
    writeSync(fd, ownerToken());
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Takes the lock, taking over one left by a soak that was killed; refuses one held by a live soak. */
function lock(dir: string): void {
  if (takeLock(dir)) return;
  const holder = readFileSync(join(dir, LOCK_FILE), 'utf8').trim();
  if (tokenAlive(holder)) throw new SoakError('usage', `${dir} is in use by another soak run (pid ${holder.split('.')[0]}); give another --out`);
  unlinkSync(join(dir, LOCK_FILE));
  if (!takeLock(dir)) throw new SoakError('usage', `${dir} is in use by another soak run that started just now; give another --out`);
}

/**
 * Makes `dir` the one run directory of this process: created private (0700, records are 0600:
 * a run's logs and settings are nobody else's business), locked against a second live writer, and
 * refused when it already holds a run (appending to it would mix both runs' records) unless
 * `force`, which removes that run's files first. A directory with files that are not soak's is
 * refused even with `force`: soak writes only where nothing else is.
 */
export function claimRunDir(dir: string, options: { force?: boolean } = {}): RunDirClaim {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  lock(dir);
  const release = () => rmSync(join(dir, LOCK_FILE), { force: true });
  try {
    const entries = readdirSync(dir).filter((name) => name !== LOCK_FILE);
    const foreign = entries.filter((name) => !isRunEntry(name));
    if (entries.length > 0 && foreign.length === entries.length) {
      throw new SoakError('usage', `${dir} is not empty and holds no soak run (${foreign[0]}…); give a new or empty directory to --out`);
    }
    if (entries.length > foreign.length && !options.force) {
      throw new SoakError('usage', `${dir} already holds a run; give another --out, or --force to replace it`);
    }
    for (const name of entries.filter(isRunEntry)) rmSync(join(dir, name), { recursive: true, force: true });
    chmodSync(dir, 0o700);
  } catch (error) {
    release();
    throw error;
  }
  let released = false;
  return {
    dir,
    release() {
      if (released) return;
      released = true;
      release();
    },
  };
}
