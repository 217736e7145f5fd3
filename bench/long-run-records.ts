import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunFiles, type LoadInterval, type ProbeSample, type RunEvent, type RunMeta } from '../src/store/records.js';

/** Long runs for the benches, made of a real short one: bench/long-run.ts (soak report) and bench/live-dashboard.ts (the dashboard). */

const ROOT = join(import.meta.dirname, '..');
const SOAK = join(ROOT, 'bin/soak.js');
const HOUR_MS = 3_600_000;

/** A real 60-s run of a healthy service (scenarios/quickstart.ts) under `work`, unless one is given. */
export function shortRun(work: string, given?: string): string {
  if (given) return given;
  const dir = join(work, 'short');
  const made = spawnSync(process.execPath, [SOAK, 'run', join(ROOT, 'scenarios/quickstart.ts'), '--out', dir, '--no-progress', '--no-dashboard'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0 && made.status !== 1) throw new Error(`the short run failed (exit ${made.status})`);
  return dir;
}

export const lines = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);

/**
 * The short run's records repeated with shifted times until `hours` are covered, into `dir`: a
 * healthy service over a long soak. `live`: a run still going, a fifth of its plan to go and no end.
 */
export async function longRun(source: string, hours: number, dir: string, options: { live?: boolean } = {}): Promise<string> {
  const meta = JSON.parse(readFileSync(join(source, RunFiles.meta), 'utf8')) as RunMeta;
  const events = lines<RunEvent>(join(source, RunFiles.events));
  const probe = lines<ProbeSample>(join(source, RunFiles.probe));
  const load = lines<LoadInterval>(join(source, RunFiles.load));
  const end = events.find((event) => event.type === 'run-end')?.t ?? Math.max(...load.map((interval) => interval.t));
  const period = end - meta.startedAt;
  const copies = Math.ceil((hours * HOUR_MS) / period);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RunFiles.meta), JSON.stringify({ ...meta, plannedMs: Math.round(copies * period * (options.live ? 1.25 : 1)) }, null, 2));
  // A long soak starts its phases once (the copies' intervals carry the same phase names), and its service once.
  const once = new Set(['run-start', 'service-start', 'service-ready', 'phase-start']);
  const repeated = events.filter((event) => !once.has(event.type) && event.type !== 'run-end' && event.type !== 'service-exit');
  const streams = { events: createWriteStream(join(dir, RunFiles.events)), probe: createWriteStream(join(dir, RunFiles.probe)), load: createWriteStream(join(dir, RunFiles.load)) };
  const write = (stream: NodeJS.WritableStream, text: string) => (stream.write(text) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve())));
  await write(streams.events, events.filter((event) => once.has(event.type)).map((event) => `${JSON.stringify(event)}\n`).join(''));
  for (let copy = 0; copy < copies; copy += 1) {
    const shift = copy * period;
    const shifted = <T extends { t: number }>(records: T[]) => records.map((record) => `${JSON.stringify({ ...record, t: record.t + shift })}\n`).join('');
    await write(streams.events, shifted(repeated));
    await write(streams.probe, shifted(probe));
    await write(streams.load, shifted(load));
  }
  if (!options.live) await write(streams.events, `${JSON.stringify({ t: meta.startedAt + copies * period, type: 'run-end', reason: 'completed' })}\n`);
  await Promise.all(Object.values(streams).map((stream) => new Promise((resolve) => stream.end(resolve))));
  return dir;
}
