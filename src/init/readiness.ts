import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Resources } from '../core/cleanup.js';
import { localRuntime } from '../runtime/local.js';
import { freePort, waitUntilReady } from '../runtime/ports.js';

/** Paths a service commonly answers once it is ready, in the order they are tried. */
export const readinessCandidates = ['/health', '/healthz', '/ready', '/'];

export interface ReadinessProbe {
  /** The first candidate that answered 2xx, if any. */
  readyPath?: string;
  /** Whether `/` answered 2xx (the path the scenario loads by default). */
  rootAnswers: boolean;
  /** Why no path could be probed, when the service did not listen. */
  problem?: string;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}

/**
 * Starts the service as a run would (a free loopback port as PORT, under soak's process guard), asks each
 * candidate path, and stops it: bounded by `timeoutMs` to listen, and nothing is left running or on disk.
 */
export async function probeReadiness(cmd: string, cwd: string, timeoutMs: number): Promise<ReadinessProbe> {
  const resources = new Resources();
  const logs = mkdtempSync(join(tmpdir(), 'soak-init-'));
  resources.add('remove logs', () => rmSync(logs, { recursive: true, force: true }));
  try {
    const port = await freePort();
    const service = await localRuntime.start({
      name: 'target',
      options: { cmd, cwd },
      env: {},
      port,
      stdoutFile: join(logs, 'stdout.log'),
      stderrFile: join(logs, 'stderr.log'),
      resources,
      runId: `init-${randomBytes(3).toString('hex')}`,
      allowRemote: false,
    });
    const listening = await waitUntilReady({ port, timeoutMs, gone: service.exited });
    if (!listening) return { rootAnswers: false, problem: `"${cmd}" did not listen on PORT within ${Math.round(timeoutMs / 1000)} s` };
    let readyPath: string | undefined;
    let rootAnswers = false;
    for (const path of readinessCandidates) {
      const ok = await answers(`http://127.0.0.1:${port}${path}`);
      if (ok) readyPath ??= path;
      if (path === '/') rootAnswers = ok;
    }
    return { readyPath, rootAnswers };
  } catch (error) {
    return { rootAnswers: false, problem: (error as Error).message };
  } finally {
    await resources.close();
  }
}
