/**
 * soak's probe inside a Node target, loaded with NODE_OPTIONS=--require (see collector.ts
 * probeEnv); the target's code is not changed. Every SOAK_PROBE_INTERVAL_MS it sends one
 * NodeProbeSample as a JSON line to the collector at SOAK_PROBE ("127.0.0.1:PORT"), and answers
 * the collector's commands (commands.cts) on the same connection.
 *
 * It is CommonJS because --require loads CommonJS, and it imports nothing from soak's ESM code
 * at runtime. It must never change how the target behaves: every timer and socket is unref'd,
 * every callback swallows its own errors, and an unreachable collector only costs dropped samples.
 */
import { join, sep } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { probeHooksKey, type ProbeHooks } from './api.cjs';
import { runCommand } from './commands.cjs';
import { CollectorLink } from './link.cjs';
import { NodeSampler } from './node-sampler.cjs';
import { instrumentPg } from './pg.cjs';
import { PoolRegistry } from './pools.cjs';

/**
 * Launchers that only start the real service as a child node process (which inherits
 * NODE_OPTIONS and is probed itself): `npm start`, `npx tsx server.ts`, nodemon. Probing them too
 * would mix a near-idle process's samples with the service's under the same service name.
 */
const launcher = /(^|[\\/])(npm|npx|pnpm|pnpx|yarn|tsx|nodemon)(-cli\.js|\.c?js)?$|[\\/]tsx[\\/]dist[\\/]cli\.m?js$/;

/** soak's own compiled helpers (the process guard of the local runtime) inherit the target's env but are not the target. */
const soakDist = join(__dirname, '..', sep);

function parseAddress(text: string | undefined): { host: string; port: number } | undefined {
  const match = /^(.+):(\d+)$/.exec(text ?? '');
  if (!match) return undefined;
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

/**
 * The service's own node children (workers, a process per request) inherit the environment; if
 * they were probed too, their samples would mix with the service's under one name. They are seen
 * from the OS instead (process count, RSS, CPU of the whole tree), and each records its exit code
 * (child-exits.cts) so that a supervisor restarting a crashing worker shows as a crash loop.
 */
function forgetForChildren(): void {
  delete process.env.SOAK_PROBE;
  delete process.env.SOAK_PROBE_TOKEN;
  const options = process.env.NODE_OPTIONS;
  if (options === undefined) return;
  const childRecorder = `--require "${join(__dirname, 'child-exits.cjs')}"`;
  const rest = options.replace(/\s*--require[ =]("[^"]*preload\.cjs"|\S*preload\.cjs)/g, '').trim();
  process.env.NODE_OPTIONS = process.env.SOAK_CHILD_EXITS ? `${rest} ${childRecorder}`.trim() : rest;
  if (process.env.NODE_OPTIONS === '') delete process.env.NODE_OPTIONS;
}

function start(): void {
  // A worker thread shares the pid but not the heap: its samples would pass for the process's.
  if (!isMainThread) return;
  const entry = process.argv[1] ?? '';
  if (launcher.test(entry) || entry.startsWith(soakDist)) return;
  // NODE_OPTIONS naming the preload twice: one probe per process.
  if (probeHooksKey in globalThis) return;
  const collector = parseAddress(process.env.SOAK_PROBE);
  if (!collector) return;
  const token = process.env.SOAK_PROBE_TOKEN;
  const service = process.env.SOAK_SERVICE ?? 'target';
  const intervalMs = Number(process.env.SOAK_PROBE_INTERVAL_MS) > 0 ? Number(process.env.SOAK_PROBE_INTERVAL_MS) : 1000;
  forgetForChildren();

  const pools = new PoolRegistry();
  const hooks: ProbeHooks = {
    registerPool: (name, stats) => pools.register(name, stats),
    recordAcquire: (name, waitMs) => pools.recordAcquire(name, waitMs),
  };
  Object.defineProperty(globalThis, probeHooksKey, { value: hooks });
  instrumentPg(pools);

  const sampler = new NodeSampler(service, pools);
  // A probe outside the run's machine connects to the coordinator, which asks for the run's token first.
  const hello = token ? `${JSON.stringify({ type: 'hello', role: 'probe', token, name: service })}\n` : undefined;
  const link = new CollectorLink(collector.host, collector.port, (line) => runCommand(line, sampler), 3000, hello);
  setInterval(() => {
    try {
      link.send(`${JSON.stringify(sampler.sample())}\n`);
    } catch {
      // A failed sample is a lost point, never the target's problem.
    }
  }, intervalMs).unref();
}

try {
  start();
} catch {
  // Same rule at start-up: without the probe the target still runs as it would.
}
