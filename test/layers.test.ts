import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * soak's folders in layer order, lowest first: a module may import from its own folder and from
 * folders below it, never from one above. Shared vocabulary sits in core; the records and reading a
 * run in store; the domains in the middle; wiring (a scenario meeting the registries), the runner,
 * soak init, and the two ways in, the programmatic API and the command line, on top.
 */
export const LAYERS = ['core', 'scenario', 'store', 'probe', 'runtime', 'load', 'faults', 'distributed', 'heap', 'profile', 'analyze', 'report', 'live', 'gate', 'wiring', 'runner', 'init', 'api', 'cli'];

const SOURCE = /\.(ts|cts|mts)$/;
const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : SOURCE.test(name) ? [path] : [];
  });
}

/** Every import of `srcDir` that runs up the layers, as "from -> to". */
export function upwardImports(srcDir: string): string[] {
  const layerOf = (file: string) => relative(srcDir, file).split('/')[0]!;
  const upward: string[] = [];
  for (const file of files(srcDir)) {
    const from = layerOf(file);
    const rank = LAYERS.indexOf(from);
    if (rank < 0) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith('.')) continue;
      const to = layerOf(resolve(dirname(file), specifier));
      const target = LAYERS.indexOf(to);
      if (target > rank) upward.push(`${relative(srcDir, file)} -> ${specifier}`);
    }
  }
  return upward;
}

describe('layers', () => {
  it('names every folder of src in the layer order', () => {
    const folders = readdirSync(join(import.meta.dirname, '../src')).filter((name) => statSync(join(import.meta.dirname, '../src', name)).isDirectory());
    expect(folders.filter((folder) => !LAYERS.includes(folder))).toEqual([]);
  });

  it('has no import that runs up the layers', () => {
    expect(upwardImports(join(import.meta.dirname, '../src'))).toEqual([]);
  });
});
