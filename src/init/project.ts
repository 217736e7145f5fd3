import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SoakError } from '../core/errors.js';

/** What soak init reads from a project's package.json. */
export interface ProjectFacts {
  /** A scenario name: the package name with what a scenario name cannot hold replaced. */
  name: string;
  /** The command that starts the service: the start script, else `node <main>`. */
  cmd: string;
  /** Where the command came from, for the comment beside it. */
  cmdSource: string;
  /** Dependency kinds soak can start for it, each with the package that implies it. */
  dependencies: { kind: string; because: string }[];
}

/** Client packages that imply a dependency soak can start, by kind. */
const dependencyClients: Record<string, string[]> = {
  postgres: ['pg', 'postgres', 'pg-promise'],
  redis: ['redis', 'ioredis'],
};

interface PackageJson {
  name?: string;
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function readPackageJson(dir: string): PackageJson {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) throw new SoakError('usage', `no package.json in ${dir}: run soak init in your service's project directory`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (error) {
    throw new SoakError('usage', `${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** The facts soak init needs, from a package.json; `cmd` given on the command line wins over the file. */
export function projectFacts(pkg: PackageJson, cmd?: string): ProjectFacts {
  const name = (pkg.name ?? 'service').replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'service';
  const start = cmd ?? pkg.scripts?.start ?? (pkg.main ? `node ${pkg.main}` : undefined);
  if (!start) throw new SoakError('usage', 'package.json has no start script and no main: give the command that starts the service with --cmd "node server.js"');
  const cmdSource = cmd ? '--cmd' : pkg.scripts?.start ? 'the start script of package.json' : 'main in package.json';
  const installed = { ...pkg.devDependencies, ...pkg.dependencies };
  const dependencies = Object.entries(dependencyClients).flatMap(([kind, clients]) => {
    const client = clients.find((candidate) => candidate in installed);
    return client ? [{ kind, because: client }] : [];
  });
  return { name, cmd: start, cmdSource, dependencies };
}
