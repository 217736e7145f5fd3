/**
 * What the probe costs a target: a hello-world HTTP server driven by autocannon (closed model),
 * alternating rounds with and without the preload, so drift of a shared machine hits both alike.
 * Besides req/s it reports the target's CPU per request, which a busy shared machine disturbs
 * far less than throughput.
 *
 *   npx tsx bench/probe-overhead.ts [rounds=4] [seconds=5]
 *
 * Needs `npm run build` first (the preload is taken from dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { probeEnv, ProcessTreeSampler, startProbeCollector } from '../src/probe/index.js';
import { freePort, waitUntilReady } from '../src/runtime/ports.js';

const rounds = Number(process.argv[2] ?? 4);
const seconds = Number(process.argv[3] ?? 5);
const CONNECTIONS = 20;

const server = `
require('node:http')
  .createServer((request, response) => response.end('hello'))
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

async function startTarget(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port) };
  if (!env.NODE_OPTIONS) delete childEnv.NODE_OPTIONS;
  const child = spawn(process.execPath, ['-e', server], { env: childEnv, stdio: 'inherit' });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  if (!(await waitUntilReady({ port, timeoutMs: 5000, gone }))) throw new Error('the target did not start');
  return { child, url: `http://127.0.0.1:${port}/` };
}

interface Round {
  rate: number;
  cpuMicrosPerRequest: number;
}

async function drive(target: { child: ChildProcess; url: string }, duration: number): Promise<Round> {
  const sampler = new ProcessTreeSampler(target.child.pid!);
  const started = performance.now();
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, duration });
  const cpuMs = (sampler.sample()!.cpuPercent / 100) * (performance.now() - started);
  return { rate: result.requests.total / duration, cpuMicrosPerRequest: (cpuMs * 1000) / result.requests.total };
}

let samples = 0;
const collector = await startProbeCollector(() => (samples += 1));
const plain = await startTarget({});
const probed = await startTarget(probeEnv(collector.address, 'bench', 1000));
try {
  // Warm both up (JIT, sockets) before anything counts.
  await drive(plain, 1);
  await drive(probed, 1);
  const without: Round[] = [];
  const withProbe: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate which goes first, so neither always gets the fresher machine.
    const order = round % 2 === 1 ? (['without', 'with'] as const) : (['with', 'without'] as const);
    for (const which of order) {
      const measured = await drive(which === 'with' ? probed : plain, seconds);
      (which === 'with' ? withProbe : without).push(measured);
      console.log(`round ${round} ${which.padEnd(7)} probe: ${Math.round(measured.rate)} req/s, ${measured.cpuMicrosPerRequest.toFixed(1)} us CPU/request`);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rate = (runs: Round[]) => mean(runs.map((run) => run.rate));
  const cpu = (runs: Round[]) => mean(runs.map((run) => run.cpuMicrosPerRequest));
  console.log(`without probe: ${Math.round(rate(without))} req/s, ${cpu(without).toFixed(1)} us CPU/request (mean of ${rounds} x ${seconds} s, ${CONNECTIONS} connections)`);
  console.log(`with probe:    ${Math.round(rate(withProbe))} req/s, ${cpu(withProbe).toFixed(1)} us CPU/request; ${samples} samples received`);
  console.log(`ratio with/without: req/s ${(rate(withProbe) / rate(without)).toFixed(3)}, CPU/request ${(cpu(withProbe) / cpu(without)).toFixed(3)}`);
} finally {
  plain.child.kill('SIGKILL');
  probed.child.kill('SIGKILL');
  await collector.close();
}
