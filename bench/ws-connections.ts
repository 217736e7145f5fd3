/**
 * How many idle WebSocket connections soak's ws driver holds, and what each costs soak in memory.
 * A `ws` server runs in a child process (so its memory is not soak's); the driver opens
 * CONNECTIONS (default 5000) at CONNECT_RATE per second, holds them, then closes them.
 *
 *   node --expose-gc --import tsx bench/ws-connections.ts
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { wsDriver, wsOptionsSchema } from '../src/load/ws/index.js';
import { openFileLimit } from '../src/load/ws/limits.js';
import type { LoadInterval } from '../src/store/records.js';

const connections = Number(process.env.CONNECTIONS ?? 5000);
const connectRate = Number(process.env.CONNECT_RATE ?? 2000);
const holdMs = Number(process.env.HOLD_MS ?? 10_000);

const serverSource = `
const { WebSocketServer } = require('ws');
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => process.stdout.write(server.address().port + '\\n'));
process.on('message', () => process.send({ clients: server.clients.size, rss: process.memoryUsage().rss }));
process.on('disconnect', () => process.exit(0));
`;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

function rssOf(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

async function main(): Promise<void> {
  console.log(`open-file limit (ulimit -n): ${openFileLimit()}; connections asked: ${connections} at ${connectRate}/s, held ${holdMs / 1000} s`);
  const server = spawn(process.execPath, ['-e', serverSource], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], cwd: process.cwd() });
  const port = await new Promise<number>((resolve) => server.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))));
  const serverState = () =>
    new Promise<{ clients: number; rss: number }>((resolve) => {
      server.once('message', (message) => resolve(message as { clients: number; rss: number }));
      server.send('state');
    });

  try {
    collect();
    const before = process.memoryUsage();
    const intervals: LoadInterval[] = [];
    let held: { at: number; rss: number; heapUsed: number; external: number; serverClients: number } | undefined;
    const startedAt = performance.now();
    let allOpenAfterMs: number | undefined;
    const rampMs = Math.ceil((connections / connectRate) * 1000) + 2000;

    await wsDriver.run(wsOptionsSchema.parse({ connectRate }), {
      baseUrl: `http://127.0.0.1:${port}`,
      stream: 'bench',
      phases: [{ name: 'hold', kind: 'steady', durationMs: rampMs + holdMs, connections }],
      intervalMs: 1000,
      signal: new AbortController().signal,
      onPhase: () => {},
      onInterval: (interval) => {
        intervals.push(interval);
        if (interval.ws!.open >= connections && allOpenAfterMs === undefined) allOpenAfterMs = performance.now() - startedAt;
        // Sample soak's memory once everything has been open for a while (the driver runs in this process).
        if (allOpenAfterMs !== undefined && held === undefined && performance.now() - startedAt > allOpenAfterMs + holdMs / 2) {
          collect();
          const memory = process.memoryUsage();
          void serverState().then((state) => {
            held = { at: performance.now() - startedAt, rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, serverClients: state.clients };
          });
        }
      },
    });

    const maxOpen = Math.max(...intervals.map((interval) => interval.ws!.open));
    const errors = intervals.reduce((sum, interval) => sum + interval.errors, 0);
    const connectP99 = Math.max(...intervals.map((interval) => interval.ws!.connectP99));
    const after = await serverState();
    console.log(`held: ${maxOpen} open at once (server counted ${held?.serverClients ?? 'n/a'}); errors: ${errors}; all open after ${allOpenAfterMs ? (allOpenAfterMs / 1000).toFixed(1) : 'never'} s; worst interval connect p99 ${connectP99} ms`);
    if (held) {
      const perConnection = (bytes: number) => `${((bytes / maxOpen) / 1024).toFixed(1)} KB`;
      console.log(`soak RSS: ${mb(before.rss)} before, ${mb(held.rss)} holding -> ${perConnection(held.rss - before.rss)} per connection`);
      console.log(`soak heapUsed: ${mb(before.heapUsed)} -> ${mb(held.heapUsed)} (${perConnection(held.heapUsed - before.heapUsed)} per connection); external ${mb(before.external)} -> ${mb(held.external)}`);
    }
    collect();
    console.log(`after close: soak RSS ${mb(process.memoryUsage().rss)}; server clients ${after.clients}, server RSS ${mb(rssOf(server.pid!))}`);
  } finally {
    server.kill();
  }
}

await main();
