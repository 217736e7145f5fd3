/**
 * soak's own memory over a long run: the real CLI drives a clean server (test/fixtures/servers/clean.cjs)
 * at a steady arrival rate while this script samples the soak process's RSS and heap from /proc.
 * Reports the RSS slope after the first minute (Theil-Sen, with its 95% interval) in MB/hour.
 *
 *   npx tsx bench/harness-memory.ts [minutes=10] [rate=300]
 *
 * Needs `npm run build` first (it runs bin/soak.js).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { theilSen } from '../src/analyze/stats/theil-sen.js';

const minutes = Number(process.argv[2] ?? 10);
const rate = Number(process.argv[3] ?? 300);
const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'soak-harness-memory-'));
const pageBytes = 4096;

function rssBytes(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * pageBytes;
  } catch {
    return undefined;
  }
}

const soak = spawn(
  process.execPath,
  [join(root, 'bin/soak.js'), 'run', '--cmd', `node ${join(root, 'test/fixtures/servers/clean.cjs')}`, '--rate', String(rate), '--duration', `${minutes}m`, '--out', out, '--no-progress'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const startedAt = Date.now();
const points: { x: number; y: number }[] = [];
const sampler = setInterval(() => {
  const rss = rssBytes(soak.pid!);
  if (rss !== undefined) points.push({ x: (Date.now() - startedAt) / 3_600_000, y: rss / 1024 / 1024 });
}, 5000);

soak.on('exit', (code) => {
  clearInterval(sampler);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { load: { requests: number } };
  rmSync(out, { recursive: true, force: true });
  const steady = points.filter((point) => point.x * 60 >= 1);
  const fit = theilSen(steady);
  const first = steady[0]?.y ?? Number.NaN;
  const last = steady.at(-1)?.y ?? Number.NaN;
  const mb = (value: number) => value.toFixed(1);
  process.stdout.write(
    `soak run of ${minutes} min at ${rate} req/s (exit ${code}, ${summary.load.requests} requests):\n` +
      `  soak RSS after 1 min ${mb(first)} MB, at the end ${mb(last)} MB, max ${mb(Math.max(...steady.map((point) => point.y)))} MB\n` +
      `  RSS slope ${mb(fit.slope)} MB/h (95% CI ${mb(fit.slopeLow)} to ${mb(fit.slopeHigh)}), ${steady.length} samples\n`,
  );
});
