import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('soak: cannot find its package.json');
    dir = parent;
  }
  return dir;
}

/** soak's own install directory (the one with package.json). */
export const packageRoot = findPackageRoot();

/**
 * A compiled file that runs in another process (process guard, probe preload). It is always
 * taken from dist/, also when soak itself runs from its TypeScript sources (tests), because
 * the other process runs plain node.
 */
export function compiledAsset(relativePath: string): string {
  return join(packageRoot, 'dist', relativePath);
}
