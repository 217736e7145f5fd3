import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerToken, tokenAlive } from './owner.js';

/** soak-<kind>-<owner token>-<mkdtemp suffix>: whose it is can be read from the name alone. */
const ownedName = /^soak-[a-z]+-(\d+\.\d+)-[A-Za-z0-9]{6}$/;

/**
 * A throwaway directory in the temp dir named after this process (see core/owner.ts), so that
 * if this process is killed before it removes it, the next soak can tell it is nobody's.
 */
export function ownedTempDir(kind: string): string {
  return mkdtempSync(join(tmpdir(), `soak-${kind}-${ownerToken()}-`));
}

/** Removes the owned temp dirs whose owner is gone; returns how many. */
export function sweepOwnedTempDirs(): number {
  let removed = 0;
  for (const name of readdirSync(tmpdir())) {
    const owner = ownedName.exec(name)?.[1];
    if (!owner || tokenAlive(owner)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
