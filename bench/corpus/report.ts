/** The corpus section of docs/accuracy.md: when, where, how scored, the overall answers and a row per cell. */
import { fastLeakRows, median, slowestCaught, type CellRow } from './aggregate.js';
import type { Cell } from './cells.js';

export interface RunContext {
  date: string;
  machine: string;
  command: string;
  repeats: number;
  /** When cells ran a different number of times (runs collected from several chunks): the most. */
  repeatsMax?: number;
  /** Minutes of runs that held the heavy-work lock, and of the light runs beside them; wall clock of the whole. */
  heavyMinutes: number;
  lightMinutes: number;
  wallMinutes: number;
  resultsFile: string;
}

const figure = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toPrecision(2));
const signed = (value: number) => `${value > 0 ? '+' : ''}${figure(value)} %`;
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
const worst = (values: number[]) => values.reduce((far, value) => (Math.abs(value) > Math.abs(far) ? value : far), 0);

const runsPerCell = ({ repeats, repeatsMax }: RunContext) =>
  repeatsMax !== undefined && repeatsMax > repeats ? `${repeats} to ${repeatsMax} runs (see recall)` : `${repeats} ${repeats === 1 ? 'run' : 'runs'}`;

function expected(cell: Cell): string {
  if (cell.expect === 'no failing finding') return 'no failing finding';
  if (cell.expect.kind === 'handle-leak') return `handle-leak, ${figure(cell.expect.handlesPerHour)}/h`;
  return `memory-leak (${cell.expect.memory}), ${figure(cell.expect.rateMBPerHour)} MB/h`;
}

function falsePositives(row: CellRow): string {
  const kinds = Object.entries(row.falsePositiveKinds).map(([kind, count]) => `${kind} ×${count}`);
  return row.runsWithFalsePositives === 0 ? 'none' : `${row.runsWithFalsePositives}/${row.valid}: ${kinds.join(', ')}`;
}

function rateColumns(row: CellRow): [string, string, string] {
  const unit = row.cell.expect !== 'no failing finding' && row.cell.expect.kind === 'handle-leak' ? '/h' : ' MB/h';
  // A plateau's or a sawtooth's slope over the run says nothing of the truth: what they hold is in the notes.
  const truth = row.cell.expect === 'no failing finding' ? undefined : median(row.truthRunRates);
  const trueRate = truth === undefined ? '–' : `${figure(truth)}${unit}`;
  if (row.rateErrors.length === 0) return [trueRate, '–', '–'];
  const within = row.rateErrors.filter((error) => Math.abs(error) <= 20).length;
  const stated = `${figure(median(row.statedRates)!)}${unit} (${signed(median(row.rateErrors)!)}, worst ${signed(worst(row.rateErrors))}; ${within}/${row.rateErrors.length} within 20 %)`;
  const hours =
    row.hoursToLimitErrors.length === 0
      ? '–'
      : `${figure(median(row.statedHours)!)} h vs ${figure(median(row.trueHours)!)} h (${signed(median(row.hoursToLimitErrors)!)}; ${row.hoursToLimitErrors.filter((error) => Math.abs(error) <= 20).length}/${row.hoursToLimitErrors.length} within 20 %)`;
  return [trueRate, stated, hours];
}

/** What the target itself measured that the row's reader needs: connections held, GC pauses, what was left retained. */
function notes(row: CellRow): string {
  const peak = (key: string) => Math.max(0, ...row.facts.map((facts) => facts[key] ?? 0));
  const parts: string[] = [];
  const state = peak('peakConnectionStateMB') > 0 ? ` (${figure(peak('peakConnectionStateMB'))} MB of state)` : '';
  if (peak('peakWs') > 0) parts.push(`held up to ${peak('peakWs')} WebSockets${state}`);
  else if (peak('peakConnections') > 20) parts.push(`up to ${peak('peakConnections')} connections${state}`);
  if (peak('majorGcMaxMs') >= 100) parts.push(`major GCs up to ${figure(peak('majorGcMaxMs'))} ms, loop delay up to ${figure(peak('loopDelayMaxMs'))} ms (target's own count)`);
  if (row.cell.expect === 'no failing finding' && row.cell.target.retain) parts.push(`${figure(peak('retainedAtEnd'))} MB retained at the end`);
  if (row.also.length > 0) parts.push(`also: ${row.also.join('; ')}`);
  if (row.softHits.length > 0) parts.push(`below fail: ${row.softHits.join('; ')}`);
  const warned = Object.entries(row.stallWarnings).map(([kind, runs]) => `${kind} in ${runs}/${row.valid}`);
  if (warned.length > 0) parts.push(`warned: ${warned.join(', ')}`);
  if (row.valid < row.runs) parts.push(`${row.runs - row.valid} run(s) proved nothing (no summary or no truth)`);
  return parts.join('; ') || ' ';
}

function tableRow(row: CellRow): string {
  const leak = row.cell.expect !== 'no failing finding';
  const recall = leak ? `${row.hits}/${row.valid}` : '–';
  const detection = row.detectedAfterS.length > 0 ? `${clock(median(row.detectedAfterS)!)} / ${clock(Math.max(...row.detectedAfterS))}` : '–';
  const [trueRate, stated, hours] = rateColumns(row);
  return `| ${row.cell.name} | ${row.cell.what} | ${figure(row.minutes)} | ${expected(row.cell)} | ${recall} | ${falsePositives(row)} | ${detection} | ${trueRate} | ${stated} | ${hours} | ${notes(row)} |`;
}

/** The wrong findings of all cells by kind, so that a class that misfires everywhere stands out. */
function wrongKinds(rows: CellRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) for (const [kind, count] of Object.entries(row.falsePositiveKinds)) counts.set(kind, (counts.get(kind) ?? 0) + count);
  return counts.size === 0 ? '' : ` (by kind: ${[...counts].map(([kind, count]) => `${kind} ×${count}`).join(', ')})`;
}

function overall(rows: CellRow[]): string[] {
  const fast = fastLeakRows(rows, 20, 10);
  const fastRuns = fast.reduce((sum, row) => sum + row.valid, 0);
  const fastHits = fast.reduce((sum, row) => sum + row.hits, 0);
  const slowest = Math.max(0, ...fast.flatMap((row) => row.detectedAfterS));
  const healthy = rows.filter((row) => row.cell.expect === 'no failing finding');
  const healthyRuns = healthy.reduce((sum, row) => sum + row.valid, 0);
  const healthyWrong = healthy.reduce((sum, row) => sum + row.runsWithFalsePositives, 0);
  const leaky = rows.filter((row) => row.cell.expect !== 'no failing finding');
  const leakyWrong = leaky.reduce((sum, row) => sum + row.runsWithFalsePositives, 0);
  const leakyRuns = leaky.reduce((sum, row) => sum + row.valid, 0);
  const rates = rows.flatMap((row) => row.rateErrors);
  const hours = rows.flatMap((row) => row.hoursToLimitErrors);
  const within = (errors: number[]) => `${errors.filter((error) => Math.abs(error) <= 20).length}/${errors.length}`;
  const slow = slowestCaught(rows, 'one-hour');
  return [
    `- **Leaks of 20 MB/h or more caught within 10 minutes:** ${fastHits}/${fastRuns} runs of ${fast.length} cells` +
      `${fastHits === fastRuns && fastRuns > 0 ? `, the latest after ${clock(slowest)}` : ''} (${fastHits === fastRuns && slowest <= 600 ? 'yes' : 'no'}).`,
    `- **False positives:** ${healthyWrong}/${healthyRuns} runs of healthy cells failed; ${leakyWrong}/${leakyRuns} runs of leaking cells raised a failing finding of another class or named the wrong memory` +
      `${wrongKinds(rows)}.`,
    `- **Slowest rate caught in every run of the 1-hour cells:** ${slow.length > 0 ? slow.map((entry) => `${entry.what} ${figure(entry.rate)} ${entry.unit}`).join(', ') : 'none'}.`,
    `- **Numbers within 20 % of the truth:** stated rates ${within(rates)}, times to the limit ${within(hours)} (of the findings that caught a leak).`,
  ];
}

export function corpusSection(rows: CellRow[], context: RunContext): string {
  const header =
    '| cell | what is true | min | expected | recall | false positives | first detection (median / max) | true rate | stated rate (median error, worst) | time to limit: stated vs true | notes |';
  return [
    '## Accuracy corpus',
    '',
    'A parametric target (`bench/corpus/target/`) run in every cell of `bench/corpus/cells.ts` through the real CLI at default',
    'thresholds, each cell several times. The target keeps its own account of what it retains (bytes and handles, counted',
    'as it takes them), of its connections, GC pauses and loop delay, and appends it to a file every second; findings are',
    'checked against that account, not against the parameters. Regenerate with:',
    '',
    '```sh',
    context.command,
    '```',
    '',
    `Run ${context.date} on ${context.machine}; ${runsPerCell(context)} per cell. Runs holding the heavy-work lock took ${Math.round(context.heavyMinutes)} min,`,
    `the light one-hour runs ${Math.round(context.lightMinutes)} min beside them; ${Math.round(context.wallMinutes)} min wall clock. Raw findings and truth of every run: \`${context.resultsFile}\`.`,
    '',
    ...overall(rows),
    '',
    header,
    `| ${header.split(' | ').map(() => '---').join(' | ')} |`,
    ...rows.map(tableRow),
    '',
    'How a run is scored. *Recall*: runs with a failing finding of the right class that names the memory that grows',
    '(`memory-leak` of the JS heap, of off-heap memory, or `handle-leak`), out of the runs that proved something.',
    '*False positives*: on a healthy cell any failing finding; on a leaking cell a failing finding of another class, or a',
    'leak finding naming another memory when none names the right one (other leak findings beside the right one, such as',
    'RSS growing with the heap, are listed under notes as "also"). Findings of other targets in a shared run are not',
    "counted; run-wide ones (error rate, latency) count for every cell of the run. *First detection*: the finding's `at`",
    "minus the run's start. *True rate*: least-squares slope of what the target retained on purpose, over the finding's",
    'window (the table shows it over the run after the 10 s warm-up). *Time to limit*: from the end of the window, at the',
    'true rate, to the heap limit (heap, from the least heapUsed of the last minute) or to the cgroup limit, else the',
    "machine's memory (off-heap, from the RSS). Cells of one group (`ten-minutes`, `one-hour`) share one run, one target each.",
    '*Warned* (notes): stall findings that warned, which fail nothing: `host-contention` (soak\'s own load threads stalled',
    'with the target while it used no more CPU than usual: the machine was short of cores), `gc-pause`, and isolated',
    'short `event-loop-blocked` stalls.',
  ].join('\n');
}
