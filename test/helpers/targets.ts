import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/runtime/ports.js';

const targetsDir = fileURLToPath(new URL('../../targets', import.meta.url));

export type Variant = 'buggy' | 'fixed';

export interface TargetExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningTarget {
  name: string;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr(): string;
  exited: Promise<TargetExit>;
  /** SIGTERM, then SIGKILL to its whole process group if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<TargetExit>;
}

export interface StartTargetOptions {
  variant?: Variant;
  env?: Record<string, string>;
  /** File under targets/<name>/ to run; server.js by default. */
  script?: string;
  /** A script elsewhere (the accuracy corpus's target in bench/), instead of targets/<name>/<script>. */
  path?: string;
  /** Wait until GET /health answers 200 (default true). */
  waitForHealth?: boolean;
  /** Node flags before the script, e.g. --expose-gc. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

const running = new Set<RunningTarget>();

/** Starts targets/<name>/server.js as a real process on a free port, in its own process group. */
export async function startTarget(name: string, options: StartTargetOptions = {}): Promise<RunningTarget> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env, PORT: String(port) };
  // Only what the test asks for: no VARIANT or probe hook leaking in from the outer environment.
  env.VARIANT = options.variant ?? options.env?.VARIANT;
  if (env.VARIANT === undefined) delete env.VARIANT;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.path ?? join(targetsDir, name, options.script ?? 'server.js')], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own group, so cleanup can kill whatever the target spawned even if the target misbehaves.
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<TargetExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));

  const target: RunningTarget = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    stderr: () => stderr,
    exited,
    async stop(graceMs = 5000) {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid!), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      // Anything it left behind in its group goes too.
      killGroup(child.pid!);
      running.delete(target);
      return exit;
    },
  };
  running.add(target);

  if (options.waitForHealth ?? true) {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
    while (!(await answersHealth(target.url))) {
      if (gone || Date.now() > deadline) {
        await target.stop();
        throw new Error(`${name} (${options.variant ?? 'default'}) did not answer /health${gone ? ': it exited' : ''}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return target;
}

/** Stops every target started by startTarget and not stopped yet: call it from afterEach. */
export async function stopAllTargets(): Promise<void> {
  await Promise.all([...running].map((target) => target.stop()));
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from a test server, read loosely by the tests
export async function getJson<T = any>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as getJson
export function postJson<T = any>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  return getJson<T>(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Pids of every live descendant of `pid`, from /proc. */
export function descendantPids(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // Exited while we looked.
    }
  }
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}
