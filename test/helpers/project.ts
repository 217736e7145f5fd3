import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './soak-cli.js';

/** A small healthy service of a user's project: `/healthz` and `/` answer, anything else is a 404. */
export const healthyServer = `const http = require('node:http');
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  if (req.url === '/') { res.setHeader('content-type', 'application/json'); return res.end(JSON.stringify({ hello: 'world' })); }
  res.statusCode = 404;
  res.end();
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface TempProject {
  dir: string;
  remove(): void;
}

/**
 * A project directory outside the repository, with the given files (paths relative to it). Readable by all,
 * as a project directory usually is: as root, soak runs PostgreSQL as another user, who must reach its binaries.
 */
export function tempProject(files: Record<string, string>): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'soak-project-'));
  chmodSync(dir, 0o755);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Links this checkout into a project as `npm link soak-harness` does (the package and its `soak` bin), so
 * `npx soak` and `import 'soak-harness'` work there without packing and installing (test/package does that).
 */
export function linkSoak(dir: string): void {
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(repoRoot, join(dir, 'node_modules/soak-harness'));
  symlinkSync('../soak-harness/bin/soak.js', join(dir, 'node_modules/.bin/soak'));
}
