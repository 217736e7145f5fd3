/**
 * How fast soak's http driver can drive load compared with autocannon: both closed model with 50
 * connections against the same hello-world server (its own process), in alternating rounds so
 * drift of a shared machine hits both alike. Reports req/s and the load generator's own CPU per
 * request (this process: both tools run in it), which matters when target and load share two cores.
 *
 *   npx tsx bench/load-throughput.ts [rounds=3] [seconds=4]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { httpDriver } from '../src/load/index.js';
import { freePort, waitUntilReady } from '../src/runtime/ports.js';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 4);
const CONNECTIONS = 50;

const server = `
require('node:http')
  .createServer((request, response) => response.end('hello'))
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

interface Round {
  rate: number;
  cpuMicrosPerRequest: number;
  failed: number;
}

async function startTarget(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', server], { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  if (!(await waitUntilReady({ port, timeoutMs: 5000, gone }))) throw new Error('the target did not start');
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Runs `drive`, which returns how many requests completed and failed, and measures this process's CPU meanwhile. */
async function measure(drive: () => Promise<{ completed: number; failed: number }>): Promise<Round> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { completed, failed } = await drive();
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: completed / elapsedS, cpuMicrosPerRequest: (cpu.user + cpu.system) / completed, failed };
}

const soak = (url: string) =>
  measure(async () => {
    let completed = 0;
    let failed = 0;
    await httpDriver.run(httpDriver.schema.parse({ path: '/' }), {
      baseUrl: url,
      stream: 'bench',
      phases: [{ name: 'bench', kind: 'steady', durationMs: seconds * 1000, connections: CONNECTIONS }],
      intervalMs: 1000,
      onInterval: (interval) => {
        completed += interval.completed;
        failed += interval.errors + interval.timeouts;
      },
      onPhase: () => {},
      signal: new AbortController().signal,
    });
    return { completed, failed };
  });

const cannon = (url: string) =>
  measure(async () => {
    const result = await autocannon({ url: `${url}/`, connections: CONNECTIONS, duration: seconds });
    return { completed: result.requests.total, failed: result.errors + result.non2xx };
  });

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

const target = await startTarget();
try {
  // A short warm-up of both, so neither pays the JIT or the target's warm-up in its first round.
  await soak(target.url);
  await cannon(target.url);
  const results: Record<'soak' | 'autocannon', Round[]> = { soak: [], autocannon: [] };
  for (let round = 1; round <= rounds; round++) {
    const [first, second] = round % 2 === 1 ? (['soak', 'autocannon'] as const) : (['autocannon', 'soak'] as const);
    for (const tool of [first, second]) {
      const result = await (tool === 'soak' ? soak : cannon)(target.url);
      results[tool].push(result);
      console.log(`round ${round} ${tool.padEnd(10)} ${Math.round(result.rate).toString().padStart(6)} req/s  ${result.cpuMicrosPerRequest.toFixed(1).padStart(5)} µs CPU/req  ${result.failed} failed`);
    }
  }
  const soakRate = mean(results.soak.map((round) => round.rate));
  const cannonRate = mean(results.autocannon.map((round) => round.rate));
  const soakCpu = mean(results.soak.map((round) => round.cpuMicrosPerRequest));
  const cannonCpu = mean(results.autocannon.map((round) => round.cpuMicrosPerRequest));
  console.log(`\nsoak http driver ${Math.round(soakRate)} req/s, ${soakCpu.toFixed(1)} µs CPU/req`);
  console.log(`autocannon       ${Math.round(cannonRate)} req/s, ${cannonCpu.toFixed(1)} µs CPU/req`);
  console.log(`ratio soak/autocannon: ${(soakRate / cannonRate).toFixed(2)} in req/s, ${(soakCpu / cannonCpu).toFixed(2)} in CPU per request`);
} finally {
  target.child.kill('SIGKILL');
}
