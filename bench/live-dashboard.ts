/**
 * What following a long run live costs: a real short run of a healthy service (scenarios/quickstart.ts,
 * made here unless a run directory is given) is repeated into an 8-hour and a 72-hour run still going
 * (no end, a fifth of the plan to go), and in a child process (a fresh heap, the run directory held as
 * a live soak holds it) the dashboard's view of it measures:
 * - catching up: the first answer, reading every record so far (wall and CPU time);
 * - the view's heap after that (after a full GC);
 * - each refresh as the run goes on: 3 s of records appended, then the detectors, the summary and the
 *   report's parts made again, and the update a page fetches serialised (CPU per refresh, median of 10),
 *   and one /metrics scrape (CPU, median of 10);
 * - so the cadence the view keeps (every max(3 s, refresh / 5 %)) and its share of one core.
 *
 *   npx tsx bench/live-dashboard.ts [short-run-dir]
 *
 * Needs `npm run build` first (the short run runs bin/soak.js). Writes about 550 MB under the system
 * temp dir, removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LiveRunView } from '../src/live/index.js';
import { ownerToken } from '../src/core/owner.js';
import { LOCK_FILE } from '../src/store/run-dir.js';
import { RunFiles, type LoadInterval, type ProbeSample, type RunMeta } from '../src/store/records.js';
import { lines, longRun, shortRun } from './long-run-records.js';

const MB = 1024 * 1024;
const REFRESH_MS = 3000;
const MAX_SHARE = 0.05;
const STEPS = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** In the child: the view of `dir` (a long run still going), its source's records appended 3 s at a time after `endT`. */
async function measure(dir: string, source: string, endT: number): Promise<void> {
  // Held as the live soak holds it: the view reads a run in progress, provisional.
  writeFileSync(join(dir, LOCK_FILE), ownerToken());
  // No pause between two refreshes: each step below makes one, to be timed.
  const view = new LiveRunView(dir, { refreshMs: 0, maxShare: Infinity });
  let cpu = process.cpuUsage();
  let wall = performance.now();
  await view.snapshot();
  const catchUp = { seconds: (performance.now() - wall) / 1000, cpuSeconds: cpuMs(cpu) / 1000 };
  global.gc!();
  const heapMB = process.memoryUsage().heapUsed / MB;

  const meta = JSON.parse(readFileSync(join(source, RunFiles.meta), 'utf8')) as RunMeta;
  const probe = lines<ProbeSample>(join(source, RunFiles.probe));
  const load = lines<LoadInterval>(join(source, RunFiles.load));
  const refreshes: number[] = [];
  const scrapes: number[] = [];
  let updateBytes = 0;
  for (let step = 0; step < STEPS; step += 1) {
    const from = meta.startedAt + 10_000 + step * 3000;
    const shift = endT + step * 3000 - from;
    const shifted = <T extends { t: number }>(records: T[]) => records.filter((record) => record.t >= from && record.t < from + 3000).map((record) => `${JSON.stringify({ ...record, t: record.t + shift })}\n`).join('');
    appendFileSync(join(dir, RunFiles.probe), shifted(probe));
    appendFileSync(join(dir, RunFiles.load), shifted(load));
    cpu = process.cpuUsage();
    wall = performance.now();
    const snapshot = (await view.snapshot())!;
    updateBytes = JSON.stringify(snapshot.parts).length;
    refreshes.push(cpuMs(cpu));
    cpu = process.cpuUsage();
    await view.metrics('prometheus');
    scrapes.push(cpuMs(cpu));
  }
  const refresh = median(refreshes);
  const everyMs = Math.max(REFRESH_MS, refresh / MAX_SHARE);
  console.log(
    JSON.stringify({ catchUp, heapMB, refreshMs: refresh, scrapeMs: median(scrapes), everyS: everyMs / 1000, share: refresh / everyMs, updateMB: updateBytes / MB, rssMB: process.memoryUsage().rss / MB }),
  );
}

/** The time of a file's last record, read from its end (the file may be larger than a string can hold). */
function lastT(file: string): number {
  const size = statSync(file).size;
  const tail = Buffer.alloc(Math.min(size, 1 << 16));
  const fd = openSync(file, 'r');
  readSync(fd, tail, 0, tail.length, size - tail.length);
  closeSync(fd);
  const text = tail.toString('utf8').trimEnd();
  return (JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as { t: number }).t;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
  const work = mkdtempSync(join(tmpdir(), 'soak-live-bench-'));
  try {
    const source = shortRun(work, process.argv[2]);
    for (const hours of [8, 72]) {
      const dir = await longRun(source, hours, join(work, `${hours}h`), { live: true });
      const files = [RunFiles.events, RunFiles.probe, RunFiles.load].map((file) => join(dir, file));
      const onDisk = files.reduce((sum, file) => sum + statSync(file).size, 0) / MB;
      const endT = lastT(join(dir, RunFiles.load));
      const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, '--measure', dir, source, String(endT)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (child.status !== 0) throw new Error(`measuring ${hours} h failed (${child.status})`);
      const figures = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { catchUp: { seconds: number; cpuSeconds: number }; heapMB: number; refreshMs: number; scrapeMs: number; everyS: number; share: number; updateMB: number; rssMB: number };
      console.log(
        `${hours} h run still going (${onDisk.toFixed(0)} MB of records): catching up ${figures.catchUp.seconds.toFixed(2)} s (CPU ${figures.catchUp.cpuSeconds.toFixed(2)} s), ` +
          `the view's heap ${figures.heapMB.toFixed(0)} MB (process RSS ${figures.rssMB.toFixed(0)} MB); a refresh ${figures.refreshMs.toFixed(0)} ms CPU ` +
          `(update ${figures.updateMB.toFixed(2)} MB), so every ${figures.everyS.toFixed(1)} s: ${(figures.share * 100).toFixed(1)} % of one core; a /metrics scrape ${figures.scrapeMs.toFixed(1)} ms CPU`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
