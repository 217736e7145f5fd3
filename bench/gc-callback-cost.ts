/**
 * What reading GC from inside a process costs per collection: the same allocation churn with no GC
 * reader, with V8's GCProfiler (what the probe uses: native code writes each collection's heap
 * statistics as JSON, which stop() parses) and with a PerformanceObserver on 'gc' entries (one
 * JavaScript entry per collection), alternated round by round in one child process. The child runs
 * with a 1-MB semi-space, as a small service's heap has: many cheap scavenges, so the readers' own
 * cost per collection shows. The probe's cost on a target is about this figure times the target's
 * collections per second (bench/probe-overhead.ts reports those).
 *
 *   npx tsx bench/gc-callback-cost.ts [rounds=9]
 */
import { spawnSync } from 'node:child_process';

const rounds = Number(process.argv[2] ?? 9);

const child = `
const { GCProfiler } = require('node:v8');
const { PerformanceObserver } = require('node:perf_hooks');
const rounds = Number(process.argv[1]);
const churn = (n) => { let kept; for (let i = 0; i < n; i++) kept = { i, pair: [i, i + 1] }; return kept; };
// Slices with the event loop between them, as a service's work comes, so the observer's entries are delivered.
const slices = (left) => new Promise((resolve) => { const step = () => { churn(2e5); if (--left > 0) setImmediate(step); else resolve(); }; step(); });
const readers = {
  none: () => () => 0,
  GCProfiler: () => { const profiler = new GCProfiler(); profiler.start(); return () => profiler.stop().statistics.length; },
  PerformanceObserver: () => { let seen = 0; const observer = new PerformanceObserver((list) => (seen += list.getEntries().length)); observer.observe({ entryTypes: ['gc'] }); return () => { observer.disconnect(); return seen; }; },
};
(async () => {
  const cpu = {}; let collections = 0;
  const names = Object.keys(readers);
  for (let round = 0; round <= rounds; round++) {
    for (const name of round % 2 ? names : [...names].reverse()) {
      const stop = readers[name]();
      const before = process.cpuUsage();
      await slices(100);
      const used = process.cpuUsage(before);
      const seen = stop();
      if (name === 'GCProfiler') collections = seen;
      // Round 0 warms up the JIT and the heap.
      if (round > 0) (cpu[name] ??= []).push((used.user + used.system) / 1000);
    }
  }
  console.log(JSON.stringify({ cpu, collections }));
})();
`;

const result = spawnSync(process.execPath, ['--max-semi-space-size=1', '-e', child, String(rounds)], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
if (result.status !== 0) throw new Error(`the child failed: ${result.stderr}`);
const { cpu, collections } = JSON.parse(result.stdout.trim().split('\n').pop()!) as { cpu: Record<string, number[]>; collections: number };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = median(cpu.none!);
console.log(`${rounds} rounds alternated; ${collections} collections a round; CPU per round, median (min-max):`);
for (const [name, values] of Object.entries(cpu)) {
  const perCollection = name === 'none' ? '' : `: ${(((median(values) - base) * 1000) / collections).toFixed(1)} µs more per collection`;
  console.log(`  ${name.padEnd(20)} ${median(values).toFixed(1)} ms (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})${perCollection}`);
}
