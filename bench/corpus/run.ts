/**
 * The accuracy corpus: every cell of cells.ts, several times, through the real CLI (`npm run build`
 * first), each run scored against the target's own truth. Writes results.json (raw findings and
 * truth of every run) under reports/ and, for the whole corpus, its section of docs/accuracy.md.
 *
 *   npx tsx bench/corpus/run.ts [--repeat 3] [--cells heap-20,big-heap] [--quick] [--jobs 2] [--lock /tmp/soak-heavy.lock]
 *
 * --quick      every run cut to 45 s, one repeat: a smoke check of the instrument, not a measurement
 * --jobs 2     two runs at once; a light run (the one-hour group) goes beside a heavy one rather than beside another light one
 * --lock FILE  each heavy run holds this flock while it runs (light runs do not), so other benches are not disturbed
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { writeSection } from '../doc-section.js';
import { aggregate } from './aggregate.js';
import { cells, type Cell } from './cells.js';
import { planRuns, scenarioOf, type PlannedRun } from './plan.js';
import { corpusSection } from './report.js';
import { scoreRun, type RunScore, type SummaryLike } from './score.js';
import { readTruth } from './truth.js';

const root = join(import.meta.dirname, '..', '..');
const { values: options } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    cells: { type: 'string' },
    quick: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '1' },
    lock: { type: 'string' },
  },
});
const repeats = options.quick ? 1 : Number(options.repeat);
const jobs = Number(options.jobs);
const chosen = options.cells?.split(',').map((name) => name.trim());
const selected = chosen ? cells.filter((cell) => chosen.includes(cell.name) || chosen.includes(cell.group ?? '')) : cells;
if (!(repeats >= 1) || !(jobs >= 1) || selected.length === 0) {
  process.stderr.write(`usage: npx tsx bench/corpus/run.ts [--repeat n] [--cells names] [--quick] [--jobs n] [--lock file]; cells: ${cells.map((cell) => cell.name).join(', ')}\n`);
  process.exit(2);
}

const outRoot = join(root, 'reports', `corpus-${new Date().toISOString().replace(/[:.]/g, '-')}`);
for (const folder of ['scenarios', 'truth', 'logs']) mkdirSync(join(outRoot, folder), { recursive: true });

interface Item {
  run: PlannedRun;
  repeat: number;
}

interface Done extends Item {
  startedAt: number;
  minutes: number;
  exit: number | null;
  scores: RunScore[];
}

/** Past its planned length, a run gets this long to finish (startup, heap snapshots, analysis) before it is stopped. */
const GRACE_MS = 15 * 60_000;

function execute({ run, repeat }: Item): Promise<Done> {
  const id = `${run.id}-r${repeat}`;
  const dir = join(outRoot, id);
  const truthFile = (cell: Cell) => join(outRoot, 'truth', `${id}-${cell.name}.ndjson`);
  const scenarioFile = join(outRoot, 'scenarios', `${id}.mjs`);
  writeFileSync(scenarioFile, `export default ${JSON.stringify(scenarioOf(run, truthFile), null, 2)};\n`);
  const soak = [process.execPath, join(root, 'bin/soak.js'), 'run', scenarioFile, '--out', dir, '--no-progress'];
  const command = options.lock && !run.light ? ['flock', options.lock, ...soak] : soak;
  const log = join(outRoot, 'logs', `${id}.log`);
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    // Waiting for the lock is not part of the run: its time counts from when soak says it runs.
    let runningSince: number | undefined;
    const append = (data: Buffer) => {
      output += data.toString();
      if (runningSince === undefined && output.includes('running "')) runningSince = Date.now();
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const limit = setInterval(() => {
      if (runningSince !== undefined && Date.now() - runningSince > run.durationMs + GRACE_MS) process.kill(-child.pid!, 'SIGINT');
    }, 10_000);
    child.on('exit', (code) => {
      clearInterval(limit);
      writeFileSync(log, output);
      const summaryFile = join(dir, 'summary.json');
      const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as SummaryLike) : undefined;
      const scores = run.cells.map((cell) => scoreRun(cell, repeat, relative(root, dir), summary, readTruth(truthFile(cell))));
      resolve({ run, repeat, startedAt: runningSince ?? startedAt, minutes: (Date.now() - (runningSince ?? startedAt)) / 60_000, exit: code, scores });
    });
  });
}

function describe(score: RunScore): string {
  if (!score.valid) return `${score.cell} r${score.repeat}: proved nothing (see ${score.dir})`;
  const healthy = selected.find((cell) => cell.name === score.cell)?.expect === 'no failing finding';
  const found = healthy ? 'healthy' : score.hit ? `caught after ${score.detectedAfterS ?? '?'} s` : 'not caught';
  const rate = score.rateErrorPct !== undefined ? `, rate ${score.stated?.rate} vs ${score.truth.rate?.toFixed(2)} (${score.rateErrorPct} %)` : '';
  const wrong = score.falsePositives.length > 0 ? `, wrong: ${score.falsePositives.map((entry) => entry.kind).join(', ')}` : '';
  return `${score.cell} r${score.repeat}: ${found}${rate}${wrong}`;
}

/** The next item to start: preferably one whose weight (light or heavy) differs from every run going on. */
function pick(queue: Item[], running: Item[]): Item | undefined {
  const index = queue.findIndex((item) => running.every((other) => other.run.light !== item.run.light));
  return queue.splice(index >= 0 ? index : 0, 1)[0];
}

async function runAll(items: Item[]): Promise<Done[]> {
  const queue = [...items];
  const running: Item[] = [];
  const done: Done[] = [];
  const worker = async () => {
    for (let item = pick(queue, running); item; item = pick(queue, running)) {
      running.push(item);
      process.stdout.write(`start ${item.run.id} r${item.repeat} (${item.run.durationMs / 60_000} min${item.run.light ? ', light' : ''})\n`);
      const finished = await execute(item);
      running.splice(running.indexOf(item), 1);
      done.push(finished);
      for (const score of finished.scores) process.stdout.write(`  ${describe(score)}\n`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return done;
}

const began = Date.now();
const plan = planRuns(selected, options.quick ? 45_000 : Infinity);
const items = Array.from({ length: repeats }, (_, index) => plan.map((run) => ({ run, repeat: index + 1 }))).flat();
const done = await runAll(items);

const scores = done.flatMap((finished) => finished.scores);
const minutesOf = (cell: Cell) => plan.find((run) => run.cells.includes(cell))!.durationMs / 60_000;
const rows = selected.map((cell) => aggregate(cell, minutesOf(cell), scores.filter((score) => score.cell === cell.name)));
const cpu = cpus();
const context = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Linux ${release()}, Node ${process.version}`,
  command: `npm run build && npx tsx bench/corpus/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
  repeats,
  heavyMinutes: done.filter((finished) => !finished.run.light).reduce((sum, finished) => sum + finished.minutes, 0),
  lightMinutes: done.filter((finished) => finished.run.light).reduce((sum, finished) => sum + finished.minutes, 0),
  wallMinutes: (Date.now() - began) / 60_000,
  resultsFile: relative(root, join(outRoot, 'results.json')),
};
writeFileSync(join(outRoot, 'results.json'), JSON.stringify({ ...context, runs: done.map(({ run, ...rest }) => ({ run: run.id, cells: run.cells.map((cell) => cell.name), ...rest })) }, null, 2));
const section = corpusSection(rows, context);
if (!options.quick && !chosen) writeSection(join(root, 'docs', 'accuracy.md'), 'corpus', section);
process.stdout.write(`\n${section}\n`);
