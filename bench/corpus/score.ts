/**
 * One cell's run, scored against its truth: was the leak found, naming the memory that grows; what
 * else failed; how soon; and how far the stated rate and time to the limit are from the true ones.
 */
import type { Cell, Memory } from './cells.js';
import { memoryNamed, statedHoursToLimit, statedLimitMB, statedRate, statedWindow, type FindingLike } from './findings.js';
import { trueHoursToLimit, trueRate, truthFacts, type Truth } from './truth.js';

export interface SummaryLike {
  verdict: string;
  run: { startedAt: number; endedAt: number; durationMs: number; endReason?: string };
  findings: FindingLike[];
}

export interface RunScore {
  cell: string;
  repeat: number;
  dir: string;
  endReason?: string;
  /** Whether the run proved anything: the target kept its truth and soak wrote a summary. */
  valid: boolean;
  hit: boolean;
  /** Seconds from the start of the run to the finding that caught the leak. */
  detectedAfterS?: number;
  /** Failing findings that are wrong here, each with why. */
  falsePositives: { kind: string; title: string; why: string }[];
  /** Other leak findings alongside the right one (RSS grows with the heap, a Buffer's wrapper is on the heap). */
  also: string[];
  /** A leak of the right class found only at warn or info. */
  softHit?: string;
  /** Kinds of the stall findings that warned (host-contention, gc-pause, event-loop-blocked): what the run went through, not wrong. */
  stallWarnings?: string[];
  stated?: { rate?: number; hoursToLimit?: number; limitMB?: number };
  truth: { rate?: number; hoursToLimit?: number; runRate?: number; facts: Record<string, number> };
  rateErrorPct?: number;
  hoursToLimitErrorPct?: number;
  findings: FindingLike[];
}

const STALL_KINDS = new Set(['host-contention', 'gc-pause', 'event-loop-blocked']);

/** Warm-up soak skips by default; the truth's rate over the run is taken after it as well. */
const WARMUP_MS = 10_000;

/** A finding is this cell's when it names the cell's service, or names none (a run-wide figure such as the error rate). */
export function findingsOf(findings: FindingLike[], cell: Cell): FindingLike[] {
  return findings.filter((finding) => finding.service === undefined || finding.service === cell.name);
}

const errorPct = (stated: number | undefined, truth: number | undefined) =>
  stated !== undefined && truth !== undefined && truth > 0 ? Math.round(((stated - truth) / truth) * 1000) / 10 : undefined;

function isRightLeak(finding: FindingLike, cell: Cell): boolean {
  if (cell.expect === 'no failing finding') return false;
  if (cell.expect.kind === 'handle-leak') return finding.kind === 'handle-leak';
  return finding.kind === 'memory-leak' && memoryNamed(finding) === cell.expect.memory;
}

const isLeakKind = (finding: FindingLike) => finding.kind === 'memory-leak' || finding.kind === 'handle-leak';

export function scoreRun(cell: Cell, repeat: number, dir: string, summary: SummaryLike | undefined, truth: Truth | undefined): RunScore {
  const base = { cell: cell.name, repeat, dir, falsePositives: [], also: [], findings: [] };
  if (!summary || !truth || truth.samples.length < 2) {
    return { ...base, valid: false, hit: false, truth: { facts: truth ? truthFacts(truth) : {} }, ...(summary?.run.endReason ? { endReason: summary.run.endReason } : {}) };
  }
  const findings = findingsOf(summary.findings, cell);
  const failing = findings.filter((finding) => finding.severity === 'fail');
  const stallWarnings = [...new Set(findings.filter((finding) => finding.severity === 'warn' && STALL_KINDS.has(finding.kind)).map((finding) => finding.kind))];
  const runRate = trueRate(truth, summary.run.startedAt + WARMUP_MS, summary.run.endedAt);
  const facts = truthFacts(truth);
  const common = { ...base, valid: true, endReason: summary.run.endReason, findings, stallWarnings };

  if (cell.expect === 'no failing finding') {
    const falsePositives = failing.map((finding) => ({ kind: finding.kind, title: finding.title, why: 'nothing here should fail' }));
    return { ...common, hit: false, falsePositives, truth: { runRate, facts } };
  }

  const hitFinding = failing.find((finding) => isRightLeak(finding, cell));
  const softHit = hitFinding ? undefined : findings.find((finding) => isRightLeak(finding, cell));
  const falsePositives = failing.flatMap((finding) => {
    if (finding === hitFinding) return [];
    if (!isLeakKind(finding)) return [{ kind: finding.kind, title: finding.title, why: 'not this failure class' }];
    return hitFinding ? [] : [{ kind: finding.kind, title: finding.title, why: `names ${memoryNamed(finding) ?? 'no memory'}, not the ${expectedWhat(cell)} that leaks` }];
  });
  const also = hitFinding ? failing.filter((finding) => finding !== hitFinding && isLeakKind(finding)).map((finding) => finding.title) : [];
  const score: RunScore = { ...common, hit: hitFinding !== undefined, falsePositives, also, truth: { runRate, facts }, ...(softHit ? { softHit: `${softHit.severity}: ${softHit.title}` } : {}) };
  if (!hitFinding) return score;

  const window = statedWindow(hitFinding) ?? { start: summary.run.startedAt + WARMUP_MS, end: summary.run.endedAt };
  const rate = trueRate(truth, window.start, window.end);
  const memory: Memory | undefined = cell.expect.kind === 'memory-leak' ? cell.expect.memory : undefined;
  const hoursToLimit = memory && rate !== undefined ? trueHoursToLimit(truth, memory, rate, window.end) : undefined;
  const stated = { rate: statedRate(hitFinding), hoursToLimit: statedHoursToLimit(hitFinding), limitMB: statedLimitMB(hitFinding) };
  return {
    ...score,
    ...(hitFinding.at !== undefined ? { detectedAfterS: Math.round((hitFinding.at - summary.run.startedAt) / 1000) } : {}),
    stated,
    truth: { rate, hoursToLimit, runRate, facts },
    rateErrorPct: errorPct(stated.rate, rate),
    hoursToLimitErrorPct: errorPct(stated.hoursToLimit, hoursToLimit),
  };
}

function expectedWhat(cell: Cell): string {
  if (cell.expect === 'no failing finding') return 'nothing';
  return cell.expect.kind === 'handle-leak' ? 'handles' : cell.expect.memory;
}
