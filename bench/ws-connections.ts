/**
 * How many idle WebSocket connections soak holds, and what each costs soak in memory. A `ws`
 * server runs as SERVER_PROCESSES child processes (node cluster), so its memory is not soak's and
 * no one process needs more open files than its limit. soak runs the stream as it does in a run
 * (runStream): on driver threads, or, when the stream holds more sockets than soak's own open-file
 * limit allows, on driver child processes, each under the limit. It opens CONNECTIONS (default
 * 20000) at CONNECT_RATE per second, holds them HOLD_MS, then closes them. soak's memory is the RSS
 * of its main process and of every driver process it started.
 *
 *   npm run build && npx tsx bench/ws-connections.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openFileLimit } from '../src/load/open-files.js';
import type { LoadInterval } from '../src/store/records.js';

const connections = Number(process.env.CONNECTIONS ?? 20_000);
const connectRate = Number(process.env.CONNECT_RATE ?? 2000);
const holdMs = Number(process.env.HOLD_MS ?? 10_000);
const serverProcesses = Number(process.env.SERVER_PROCESSES ?? 2);

const serverSource = `
const cluster = require('node:cluster');
if (cluster.isPrimary) {
  const counts = new Map();
  for (let i = 0; i < ${serverProcesses}; i++) {
    const worker = cluster.fork();
    worker.on('message', (message) => {
      if (message.listening) process.stdout.write(message.listening + '\\n');
      if (message.clients !== undefined) counts.set(worker.id, message.clients);
    });
  }
  process.on('message', () => process.send({ clients: [...counts.values()].reduce((a, b) => a + b, 0) }));
  setInterval(() => Object.values(cluster.workers).forEach((worker) => worker.send('count')), 500).unref();
  process.on('disconnect', () => process.exit(0));
} else {
  const { WebSocketServer } = require(${JSON.stringify(join(process.cwd(), 'node_modules', 'ws'))});
  const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT), perMessageDeflate: false });
  server.on('listening', () => process.send({ listening: process.env.PORT }));
  process.on('message', () => process.send({ clients: server.clients.size }));
}
`;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function rssOf(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** This process and the driver processes it started (children running soak's driver entry). */
function soakRss(): { total: number; processes: number } {
  let total = rssOf(process.pid);
  let processes = 1;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('threads/thread.js')) {
        total += rssOf(Number(entry));
        processes += 1;
      }
    } catch {
      // A process that ended meanwhile.
    }
  }
  return { total, processes };
}

async function main(): Promise<void> {
  const { runStream, wsDriver } = (await import(new URL('../dist/load/index.js', import.meta.url).href)) as typeof import('../src/load/index.js');
  console.log(`open-file limit (ulimit -n): ${openFileLimit()}; connections asked: ${connections} at ${connectRate}/s, held ${holdMs / 1000} s; server: ${serverProcesses} processes`);
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const file = join(mkdtempSync(join(tmpdir(), 'soak-ws-bench-')), 'server.cjs');
  writeFileSync(file, serverSource);
  const server = spawn(process.execPath, [file], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  await new Promise((resolve) => server.stdout!.once('data', resolve));
  const serverClients = () =>
    new Promise<number>((resolve) => {
      server.once('message', (message) => resolve((message as { clients: number }).clients));
      server.send('count');
    });

  try {
    (globalThis as { gc?: () => void }).gc?.();
    const before = soakRss();
    const intervals: LoadInterval[] = [];
    let held: { rss: number; processes: number; heapUsed: number; serverClients: number } | undefined;
    const startedAt = performance.now();
    let allOpenAfterMs: number | undefined;
    // Room past the nominal ramp: on a busy machine the last connections take seconds more to open, and the hold counts from then.
    const rampMs = Math.ceil((connections / connectRate) * 1000) * 2 + 5000;

    await runStream(
      'ws',
      wsDriver.schema.parse({ connectRate }),
      {
        baseUrl: `http://127.0.0.1:${port}`,
        stream: 'bench',
        phases: [{ name: 'hold', kind: 'steady', durationMs: rampMs + holdMs, connections }],
        intervalMs: 1000,
        signal: new AbortController().signal,
        onPhase: () => {},
        onInterval: (interval) => {
          intervals.push(interval);
          if (interval.ws!.open >= connections && allOpenAfterMs === undefined) allOpenAfterMs = performance.now() - startedAt;
          // soak's memory once everything has been open for a while.
          if (allOpenAfterMs !== undefined && held === undefined && performance.now() - startedAt > allOpenAfterMs + holdMs / 2) {
            const rss = soakRss();
            void serverClients().then((clients) => (held = { rss: rss.total, processes: rss.processes, heapUsed: process.memoryUsage().heapUsed, serverClients: clients }));
          }
        },
      },
      1,
    );

    const maxOpen = Math.max(...intervals.map((interval) => interval.ws!.open));
    const errors = intervals.reduce((sum, interval) => sum + interval.errors, 0);
    const connectP99 = Math.max(...intervals.map((interval) => interval.ws!.connectP99));
    const workers = intervals[0]?.generator?.threads;
    console.log(`held: ${maxOpen} open at once (server counted ${held?.serverClients ?? 'n/a'}); errors: ${errors}; all open after ${allOpenAfterMs ? (allOpenAfterMs / 1000).toFixed(1) : 'never'} s; worst interval connect p99 ${connectP99} ms; driver workers: ${workers}`);
    if (held) {
      console.log(`soak RSS (${held.processes} process${held.processes > 1 ? 'es' : ''}): ${mb(before.total)} before, ${mb(held.rss)} holding -> ${((held.rss - before.total) / maxOpen / 1024).toFixed(1)} KB per connection`);
    }
  } finally {
    server.kill();
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

await main();
