/**
 * What the probe costs a target: a hello-world HTTP server driven by autocannon (closed model),
 * alternating rounds with and without the preload, so drift of a shared machine hits both alike.
 * Besides req/s it reports the target's CPU per request, which a busy shared machine disturbs
 * far less than throughput.
 *
 *   npx tsx bench/probe-overhead.ts [rounds=4] [seconds=5] [aa]
 *
 * `aa` runs the same rounds with two plain targets: the spread it reads is the bench's own noise.
 * It also reports how many collections a second the probed target made: most of what the probe
 * costs under load is per collection (bench/gc-callback-cost.ts).
 *
 * Needs `npm run build` first (the preload is taken from dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { probeEnv, ProcessTreeSampler, startProbeCollector } from '../src/probe/index.js';
import { freePort, waitUntilReady } from '../src/runtime/ports.js';

const rounds = Number(process.argv[2] ?? 4);
const seconds = Number(process.argv[3] ?? 5);
const mode = process.argv[4] === 'aa' ? 'aa' : 'probe';
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
/** Collections the probed targets reported, for the probe's per-collection cost (bench/gc-callback-cost.ts) to be weighed by. */
let collections = 0;
const collector = await startProbeCollector((sample) => {
  samples += 1;
  for (const kind of Object.values(sample.gc)) collections += kind.count;
});
const without: Round[] = [];
const withProbe: Round[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    // Fresh targets every round: a process's own luck (its JIT, its memory layout, where the kernel
    // places it) would otherwise favour one side in every round alike. With `aa`, both are plain:
    // what the bench reads between two identical targets is its noise floor.
    const plain = await startTarget({});
    const probed = await startTarget(mode === 'aa' ? {} : probeEnv(collector.address, 'bench', 1000));
    try {
      // Warm both up (JIT, sockets) before anything counts.
      await drive(plain, 1);
      await drive(probed, 1);
      // Alternate which goes first, so neither always gets the fresher machine.
      const order = round % 2 === 1 ? (['without', 'with'] as const) : (['with', 'without'] as const);
      for (const which of order) {
        const measured = await drive(which === 'with' ? probed : plain, seconds);
        (which === 'with' ? withProbe : without).push(measured);
        const side = mode === 'aa' ? (which === 'with' ? 'second plain' : 'first plain') : `${which} probe`;
        console.log(`round ${round} ${side.padEnd(13)}: ${Math.round(measured.rate)} req/s, ${measured.cpuMicrosPerRequest.toFixed(1)} us CPU/request`);
      }
    } finally {
      plain.child.kill('SIGKILL');
      probed.child.kill('SIGKILL');
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const rate = (runs: Round[]) => mean(runs.map((run) => run.rate));
  const cpu = (runs: Round[]) => mean(runs.map((run) => run.cpuMicrosPerRequest));
  // Each round's own ratio: the two sides of a round shared the machine's state of the moment.
  const rateRatios = withProbe.map((run, i) => run.rate / without[i]!.rate);
  const cpuRatios = withProbe.map((run, i) => run.cpuMicrosPerRequest / without[i]!.cpuMicrosPerRequest);
  const spread = (ratios: number[]) => `median ${median(ratios).toFixed(3)}, rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
  const label = mode === 'aa' ? 'second plain target (A/A: the noise floor)' : 'with probe';
  console.log(`without probe: ${Math.round(rate(without))} req/s, ${cpu(without).toFixed(1)} us CPU/request (mean of ${rounds} x ${seconds} s, ${CONNECTIONS} connections)`);
  console.log(`${label}: ${Math.round(rate(withProbe))} req/s, ${cpu(withProbe).toFixed(1)} us CPU/request; ${samples} samples received`);
  if (mode === 'probe') console.log(`the probed targets reported ${Math.round(collections / (rounds * (seconds + 1)))} collections a second under load (warm-ups included)`);
  console.log(`ratio with/without: req/s ${(rate(withProbe) / rate(without)).toFixed(3)} (per round: ${spread(rateRatios)}), CPU/request ${(cpu(withProbe) / cpu(without)).toFixed(3)} (per round: ${spread(cpuRatios)})`);
} finally {
  await collector.close();
}
