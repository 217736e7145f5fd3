/**
 * soak's own memory over a long run: the real CLI drives a clean server (test/fixtures/servers/clean.cjs)
 * at a steady arrival rate, and soak's own probe samples the soak process itself (heap after each
 * major GC, RSS), as it would a target. Reports, after the first minute, the Theil-Sen slope of
 * both (with its 95% interval) in MB/hour and the Mann-Kendall p-value of the post-GC heap trend:
 * what soak's memory-leak detector would say of soak.
 *
 *   npx tsx bench/harness-memory.ts [minutes=10] [rate=300]
 *
 * Needs `npm run build` first (it runs bin/soak.js).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mannKendall } from '../src/analyze/stats/mann-kendall.js';
import { theilSen } from '../src/analyze/stats/theil-sen.js';
import { probeEnv, startProbeCollector } from '../src/probe/index.js';
import type { NodeProbeSample } from '../src/store/records.js';

const minutes = Number(process.argv[2] ?? 10);
const rate = Number(process.argv[3] ?? 300);
const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'soak-harness-memory-'));

const samples: NodeProbeSample[] = [];
const collector = await startProbeCollector((sample) => {
  if (sample.service === 'soak') samples.push(sample);
});
const soak = spawn(
  process.execPath,
  [join(root, 'bin/soak.js'), 'run', '--cmd', `node ${join(root, 'test/fixtures/servers/clean.cjs')}`, '--rate', String(rate), '--duration', `${minutes}m`, '--out', out, '--no-progress'],
  { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...probeEnv(collector.address, 'soak', 5000, process.env.NODE_OPTIONS) } },
);
const startedAt = Date.now();

soak.on('exit', async (code) => {
  await collector.close();
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { load: { requests: number } };
  rmSync(out, { recursive: true, force: true });
  const steady = samples.filter((sample) => sample.t - startedAt >= 60_000);
  const hours = (t: number) => (t - startedAt) / 3_600_000;
  const rss = steady.map((sample) => ({ x: hours(sample.t), y: sample.memory.rss / 1024 / 1024 }));
  const postGc = steady.filter((sample) => sample.postGcHeap !== undefined).map((sample) => ({ x: hours(sample.t), y: sample.postGcHeap! / 1024 / 1024 }));
  const mb = (value: number) => value.toFixed(1);
  const line = (label: string, points: { x: number; y: number }[]) => {
    const fit = theilSen(points);
    const trend = mannKendall(points.map((point) => point.y));
    return `  ${label}: ${mb(points[0]?.y ?? Number.NaN)} MB after 1 min, ${mb(points.at(-1)?.y ?? Number.NaN)} MB at the end; slope ${mb(fit.slope)} MB/h (95% CI ${mb(fit.slopeLow)} to ${mb(fit.slopeHigh)}), Mann-Kendall p(increasing) ${trend.pIncreasing.toPrecision(2)}, ${points.length} samples\n`;
  };
  process.stdout.write(`soak run of ${minutes} min at ${rate} req/s (exit ${code}, ${summary.load.requests} requests):\n${line('soak post-GC heap', postGc)}${line('soak RSS', rss)}`);
});
