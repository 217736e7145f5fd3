/**
 * The corpus section of docs/accuracy.md from runs already made, scored again from what each left on
 * disk (summary.json and the target's truth): several chunks of `run.ts`, each run in its own slot
 * of the heavy-work lock, or a run.ts that was stopped before it wrote its results.json.
 *
 *   npx tsx bench/corpus/collect.ts reports/corpus-A reports/corpus-B ...
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { writeSection } from '../doc-section.js';
import { aggregate } from './aggregate.js';
import { cells } from './cells.js';
import { planRuns } from './plan.js';
import { corpusSection } from './report.js';
import { scoreRun, type RunScore, type SummaryLike } from './score.js';
import { readTruth } from './truth.js';

const root = join(import.meta.dirname, '..', '..');
const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: npx tsx bench/corpus/collect.ts <corpus run folder>...\n');
  process.exit(2);
}

const plan = planRuns(cells);
const scores: RunScore[] = [];
const minutes = { heavy: 0, light: 0 };
const commands: string[] = [];
let first = Infinity;
let last = 0;
for (const dir of dirs.map((folder) => join(root, folder))) {
  const results = join(dir, 'results.json');
  if (existsSync(results)) commands.push((JSON.parse(readFileSync(results, 'utf8')) as { command: string }).command);
  else commands.push(`# ${relative(root, dir)}: its run.ts was stopped before it wrote results.json (the command is not known here); its finished runs are read from the folder`);
  for (const entry of readdirSync(dir)) {
    const match = /^(.+)-r(\d+)$/.exec(entry);
    const run = match && plan.find((planned) => planned.id === match[1]);
    const summaryFile = join(dir, entry, 'summary.json');
    if (!run || !statSync(join(dir, entry)).isDirectory()) continue;
    const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as SummaryLike) : undefined;
    for (const cell of run.cells) {
      const truth = readTruth(join(dir, 'truth', `${entry}-${cell.name}.ndjson`));
      scores.push(scoreRun(cell, Number(match[2]), relative(root, join(dir, entry)), summary, truth));
    }
    if (!summary) continue;
    minutes[run.light ? 'light' : 'heavy'] += summary.run.durationMs / 60_000;
    first = Math.min(first, summary.run.startedAt);
    last = Math.max(last, summary.run.endedAt);
  }
}

const ran = cells.filter((cell) => scores.some((score) => score.cell === cell.name));
const rows = ran.map((cell) => aggregate(cell, cell.minutes, scores.filter((score) => score.cell === cell.name)));
const cpu = cpus();
const section = corpusSection(rows, {
  date: new Date(last).toISOString().slice(0, 10),
  machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Linux ${release()}, Node ${process.version}`,
  command: [...commands, `npx tsx bench/corpus/collect.ts ${dirs.join(' ')}`].join('\n'),
  repeats: Math.min(...rows.map((row) => row.runs)),
  repeatsMax: Math.max(...rows.map((row) => row.runs)),
  heavyMinutes: minutes.heavy,
  lightMinutes: minutes.light,
  wallMinutes: (last - first) / 60_000,
  resultsFile: dirs.join('`, `'),
});
const missing = cells.filter((cell) => !ran.includes(cell)).map((cell) => `\`${cell.name}\``);
const text = missing.length > 0 ? `${section}\n\nNot run in these chunks: ${missing.join(', ')}.` : section;
writeSection(join(root, 'docs', 'accuracy.md'), 'corpus', text);
process.stdout.write(`${text}\n`);
