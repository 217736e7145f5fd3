/** Runs of one cell reduced to its row: recall, false positives, time to detection, numbers against the truth. */
import type { Cell } from './cells.js';
import type { RunScore } from './score.js';

export interface CellRow {
  cell: Cell;
  /** How long its runs were (shorter than the cell's own length with --quick). */
  minutes: number;
  runs: number;
  valid: number;
  hits: number;
  /** Runs with at least one false positive, and the kinds that were wrong with how often. */
  runsWithFalsePositives: number;
  falsePositiveKinds: Record<string, number>;
  detectedAfterS: number[];
  truthRunRates: number[];
  statedRates: number[];
  rateErrors: number[];
  hoursToLimitErrors: number[];
  statedHours: number[];
  trueHours: number[];
  also: string[];
  softHits: string[];
  /** Stall findings that warned, by kind: runs with each. */
  stallWarnings: Record<string, number>;
  facts: Record<string, number>[];
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const defined = (values: (number | undefined)[]) => values.filter((value): value is number => value !== undefined);

export function aggregate(cell: Cell, minutes: number, scores: RunScore[]): CellRow {
  const valid = scores.filter((score) => score.valid);
  const falsePositiveKinds: Record<string, number> = {};
  for (const score of valid) for (const wrong of score.falsePositives) falsePositiveKinds[wrong.kind] = (falsePositiveKinds[wrong.kind] ?? 0) + 1;
  const stallWarnings: Record<string, number> = {};
  for (const score of valid) for (const kind of score.stallWarnings ?? []) stallWarnings[kind] = (stallWarnings[kind] ?? 0) + 1;
  return {
    cell,
    minutes,
    runs: scores.length,
    valid: valid.length,
    hits: valid.filter((score) => score.hit).length,
    runsWithFalsePositives: valid.filter((score) => score.falsePositives.length > 0).length,
    falsePositiveKinds,
    detectedAfterS: defined(valid.map((score) => score.detectedAfterS)),
    truthRunRates: defined(valid.map((score) => score.truth.runRate)),
    statedRates: defined(valid.map((score) => score.stated?.rate)),
    rateErrors: defined(valid.map((score) => score.rateErrorPct)),
    hoursToLimitErrors: defined(valid.map((score) => score.hoursToLimitErrorPct)),
    statedHours: defined(valid.map((score) => score.stated?.hoursToLimit)),
    trueHours: defined(valid.map((score) => score.truth.hoursToLimit)),
    also: [...new Set(valid.flatMap((score) => score.also))],
    softHits: valid.flatMap((score) => (score.softHit ? [score.softHit] : [])),
    stallWarnings,
    facts: valid.map((score) => score.truth.facts),
  };
}

/** Rows whose leak is of `minRate` MB/h or more, in runs of at most `maxMinutes`: the "caught within 10 minutes" question. */
export function fastLeakRows(rows: CellRow[], minRate: number, maxMinutes: number): CellRow[] {
  return rows.filter(({ cell }) => cell.expect !== 'no failing finding' && cell.expect.kind === 'memory-leak' && cell.expect.rateMBPerHour >= minRate && cell.minutes <= maxMinutes);
}

/** The slowest rate caught in every run, per memory, among the cells of a group. */
export function slowestCaught(rows: CellRow[], group: string): { what: string; rate: number; unit: string }[] {
  const byWhat = new Map<string, { rate: number; unit: string }>();
  for (const row of rows) {
    const { cell } = row;
    if (cell.group !== group || cell.expect === 'no failing finding' || row.valid === 0 || row.hits < row.valid) continue;
    const [what, rate, unit] = cell.expect.kind === 'memory-leak' ? [cell.expect.memory, cell.expect.rateMBPerHour, 'MB/h'] : ['handles', cell.expect.handlesPerHour, '/h'];
    const known = byWhat.get(what);
    if (!known || rate < known.rate) byWhat.set(what, { rate, unit });
  }
  return [...byWhat].map(([what, found]) => ({ what, ...found }));
}
