/**
 * soak's load engine against autocannon and wrk, alternated in one run against one hello-world
 * target (its own process), so drift of a shared machine hits all alike. Each tool runs in a
 * process of its own, and its CPU is that whole process's (every thread: soak's driver threads and
 * main thread, autocannon's, wrk's), counted over the load only, not over startup.
 *
 *   closed  closed model, 50 connections, SECONDS each: req/s and CPU per completed request
 *   open    open model, 3,000 req/s for SECONDS: CPU (autocannon with -R 3000, its 10 connections)
 *   workers closed model, 50 connections, soak with 1 and with 2 driver threads against a
 *           2-process target (node cluster), to show what a second thread gains on this machine
 *
 *   npm run build && npx tsx bench/load-throughput.ts [rounds=3] [seconds=15] [parts=closed,open,workers]
 *
 * soak is taken from dist/ (built JavaScript, as it runs), autocannon from node_modules, wrk from
 * PATH when installed. SOAK_BASELINE=<a dist directory> (an earlier build, copied beside a
 * node_modules that resolves its imports) adds that build as one more tool in the same rounds, so
 * a change is measured before and after, alternated, in one run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProcessTreeSampler } from '../src/probe/index.js';
import { freePort, waitUntilReady } from '../src/runtime/ports.js';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 15);
const parts = (process.argv[4] ?? 'closed,open,workers').split(',');
const CONNECTIONS = 50;
const OPEN_RATE = 3000;
const baselineDist = process.env.SOAK_BASELINE;

interface Measured {
  completed: number;
  failed: number;
  /** How long the load ran: the phase's length for soak and autocannon (not their start-up), wrk's own figure for wrk. */
  elapsedS: number;
  cpuS: number;
  /** The target's CPU over the tool's run (all its processes), in cores. */
  targetCores?: number;
}

const root = new URL('..', import.meta.url);
const moduleUrl = (path: string) => JSON.stringify(new URL(path, root).href);

/** A child's run (CommonJS -e code, importing by absolute URL): prints one JSON line with what it measured. */
const childSources = {
  soak: `(async () => {
    const [url, model, amount, seconds, workers, dist] = process.argv.slice(1);
    const { runStream, httpDriver } = await import(dist);
    const phase = { name: 'bench', kind: 'steady', durationMs: Number(seconds) * 1000, [model === 'open' ? 'rate' : 'connections']: Number(amount) };
    let completed = 0, failed = 0;
    const cpu = process.cpuUsage();
    await runStream('http', httpDriver.schema.parse({ path: '/' }), {
      baseUrl: url, stream: 'bench', phases: [phase], intervalMs: 1000, signal: new AbortController().signal, onPhase() {},
      onInterval(interval) { completed += interval.completed; failed += interval.errors + interval.timeouts; },
    }, Number(workers));
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ completed, failed, elapsedS: Number(seconds), cpuS: (used.user + used.system) / 1e6 }));
  })()`,
  autocannon: `(async () => {
    const { default: autocannon } = await import(${moduleUrl('node_modules/autocannon/autocannon.js')});
    const [url, model, amount, seconds] = process.argv.slice(1);
    const options = model === 'open' ? { overallRate: Number(amount) } : { connections: Number(amount) };
    const cpu = process.cpuUsage();
    const result = await autocannon({ url: url + '/', duration: Number(seconds), ...options });
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ completed: result.requests.total, failed: result.errors + result.non2xx, elapsedS: Number(seconds), cpuS: (used.user + used.system) / 1e6 }));
  })()`,
};

/** Children run plain Node: no TypeScript loader left over from this script's own launcher. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS'));

function runChild(source: string, args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Measured) : reject(new Error(`child exited ${code}`))));
  });
}

const wrkPath = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

/** wrk under bash, whose `times` reports the CPU of the children it waited for: wrk's whole process. */
function runWrk(url: string): Promise<Measured> {
  const script = `${wrkPath} -t1 -c${CONNECTIONS} -d${seconds}s ${url}/ ; times`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}`));
      const requests = Number(/(\d+) requests in ([\d.]+)s/.exec(out)?.[1]);
      const elapsedS = Number(/(\d+) requests in ([\d.]+)s/.exec(out)?.[2]);
      const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      // `times`: the shell's own user/system, then its children's, as 0m1.234s.
      const childTimes = out.trim().split('\n').pop()!.split(/\s+/).map((text) => {
        const [, minutes, secs] = /(\d+)m([\d.]+)s/.exec(text)!;
        return Number(minutes) * 60 + Number(secs);
      });
      resolve({ completed: requests, failed: non2xx + (errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0), elapsedS, cpuS: childTimes[0]! + childTimes[1]! });
    });
  });
}

async function startTarget(processes: number): Promise<{ url: string; pid: number; stop(): void }> {
  const port = await freePort();
  const source = `
    const cluster = require('node:cluster');
    if (cluster.isPrimary && ${processes} > 1) for (let i = 0; i < ${processes}; i++) cluster.fork();
    else require('node:http').createServer((request, response) => response.end('hello')).listen(Number(process.env.PORT), '127.0.0.1');
  `;
  // A file, not -e: cluster forks its workers from the primary's script.
  const file = join(mkdtempSync(join(tmpdir(), 'soak-bench-')), 'target.cjs');
  writeFileSync(file, source);
  const child = spawn(process.execPath, [file], { env: { ...childEnv, PORT: String(port) }, stdio: 'inherit', detached: true });
  const gone = new Promise((resolve) => child.once('exit', resolve));
  if (!(await waitUntilReady({ port, timeoutMs: 5000, gone }))) throw new Error('the target did not start');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => {
      process.kill(-child.pid!, 'SIGKILL');
      rmSync(dirname(file), { recursive: true, force: true });
    },
  };
}

type Tool = { name: string; run(url: string): Promise<Measured> };

const results = new Map<string, Measured[]>();
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function report(tool: string, measured: Measured, round: number): void {
  results.set(tool, [...(results.get(tool) ?? []), measured]);
  const rate = measured.completed / measured.elapsedS;
  const target = measured.targetCores === undefined ? '' : `  target ${measured.targetCores.toFixed(2)} cores`;
  console.log(`round ${round} ${tool.padEnd(22)} ${Math.round(rate).toString().padStart(6)} req/s  ${((measured.cpuS * 1e6) / measured.completed).toFixed(1).padStart(5)} µs CPU/req  ${measured.cpuS.toFixed(2).padStart(5)} s CPU  ${measured.failed} failed${target}`);
}

/** A tool's run, with the target's CPU meanwhile (its whole process tree, start-up of the tool included). */
async function withTargetCpu(tool: Tool, target: { url: string; pid: number }): Promise<Measured> {
  const sampler = new ProcessTreeSampler(target.pid);
  const started = performance.now();
  const measured = await tool.run(target.url);
  const cpuPercent = sampler.sample()?.cpuPercent;
  return { ...measured, ...(cpuPercent === undefined ? {} : { targetCores: ((cpuPercent / 100) * (performance.now() - started)) / 1000 / measured.elapsedS }) };
}

async function alternate(tools: Tool[], target: { url: string; pid: number }): Promise<void> {
  // A short warm-up of each, so none pays the target's warm-up in its first round.
  for (const tool of tools) await tool.run(target.url);
  results.clear();
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? tools : [...tools].reverse();
    for (const tool of order) report(tool.name, await withTargetCpu(tool, target), round);
  }
}

function summary(names: string[], base: string): void {
  const figures = (name: string) => {
    const runs = results.get(name)!;
    return { rate: mean(runs.map((run) => run.completed / run.elapsedS)), cpuPerRequest: mean(runs.map((run) => (run.cpuS * 1e6) / run.completed)), cpuS: mean(runs.map((run) => run.cpuS)) };
  };
  const reference = figures(base);
  for (const name of names) {
    const own = figures(name);
    console.log(
      `  ${name.padEnd(22)} ${Math.round(own.rate).toString().padStart(6)} req/s (${(own.rate / reference.rate).toFixed(2)}×)  ` +
        `${own.cpuPerRequest.toFixed(1).padStart(5)} µs CPU/req (${(own.cpuPerRequest / reference.cpuPerRequest).toFixed(2)}×)  ${own.cpuS.toFixed(2)} s CPU (${(own.cpuS / reference.cpuS).toFixed(2)}×)`,
    );
  }
}

const soakTool = (model: 'open' | 'closed', amount: number, workers: number, dist?: string): Tool => ({
  name: `soak ${model} ${workers} thread${workers > 1 ? 's' : ''}${dist ? ' baseline' : ''}`,
  run: (url) => runChild(childSources.soak, [url, model, String(amount), String(seconds), String(workers), dist ? pathToFileURL(join(dist, 'load/index.js')).href : new URL('dist/load/index.js', root).href]),
});
/** The same tools on the baseline build, when SOAK_BASELINE names one. */
const withBaseline = (tools: Tool[], model: 'open' | 'closed', amount: number, workers: number): Tool[] => (baselineDist ? [...tools, soakTool(model, amount, workers, baselineDist)] : tools);
const cannonTool = (model: 'open' | 'closed', amount: number): Tool => ({
  name: model === 'open' ? `autocannon -R ${amount}` : `autocannon -c ${amount}`,
  run: (url) => runChild(childSources.autocannon, [url, model, String(amount), String(seconds)]),
});

console.log(`${rounds} rounds of ${seconds} s, alternated; wrk: ${wrkPath ?? 'not installed'}`);
if (parts.includes('closed') || parts.includes('open')) {
  const target = await startTarget(1);
  try {
    if (parts.includes('closed')) {
      console.log(`\nclosed model, ${CONNECTIONS} connections`);
      const tools = withBaseline([soakTool('closed', CONNECTIONS, 1), cannonTool('closed', CONNECTIONS), ...(wrkPath ? [{ name: 'wrk -c 50', run: runWrk }] : [])], 'closed', CONNECTIONS, 1);
      await alternate(tools, target);
      summary(tools.map((tool) => tool.name), 'autocannon -c 50');
    }
    if (parts.includes('open')) {
      console.log(`\nopen model, ${OPEN_RATE} req/s`);
      const tools = withBaseline([soakTool('open', OPEN_RATE, 1), cannonTool('open', OPEN_RATE)], 'open', OPEN_RATE, 1);
      await alternate(tools, target);
      summary(tools.map((tool) => tool.name), `autocannon -R ${OPEN_RATE}`);
    }
  } finally {
    target.stop();
  }
}
if (parts.includes('workers')) {
  const target = await startTarget(2);
  try {
    console.log(`\nclosed model, ${CONNECTIONS} connections, against a 2-process target: 1 and 2 driver threads`);
    const tools = [soakTool('closed', CONNECTIONS, 1), soakTool('closed', CONNECTIONS, 2)];
    await alternate(tools, target);
    summary(tools.map((tool) => tool.name), tools[0]!.name);
  } finally {
    target.stop();
  }
}
