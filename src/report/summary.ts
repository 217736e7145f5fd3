import type { RunFacts } from '../analyze/facts/builder.js';
import type { FaultSpan } from '../analyze/facts/spans.js';
import { regressionBasis, type RegressionBasis } from '../analyze/regression/index.js';
import type { Finding } from '../analyze/types.js';
import { judgeRun, type IncompleteNote, type Verdict } from '../analyze/verdict.js';
import { profileReports, type ProfileReport } from '../profile/index.js';
import type { RunEvent } from '../store/records.js';
import { summarizeLoad, type LoadSummary, type PhaseFigures } from './load-summary.js';
import { servicesOf, summarizeService, type ServiceSummary } from './target-summary.js';

export type EndReason = Extract<RunEvent, { type: 'run-end' }>['reason'] | 'unfinished';
export type FaultWindow = FaultSpan;

/** The contract of summary.json: what CI jobs and other tools read. Times are epoch ms, sizes bytes, latencies ms. */
export interface Summary {
  /** incomplete: the run did not carry out its plan (see run.incomplete), so it was not judged. */
  verdict: Verdict;
  findings: Finding[];
  run: {
    name: string;
    startedAt: number;
    endedAt: number;
    durationMs: number;
    plannedMs: number;
    endReason: EndReason;
    endMessage?: string;
    /** Present when the run did not carry out its plan, also when --allow-partial judged it anyway. */
    incomplete?: IncompleteNote;
    /** Run files with records skipped as malformed, one line each. */
    skippedRecords?: string[];
    dir: string;
    soakVersion: string;
  };
  load: LoadSummary;
  /** Keyed by service name. */
  target: Record<string, ServiceSummary>;
  phases: PhaseFigures[];
  /** Each fault's window; `end` null: still active when the run ended (or was killed). */
  faults: FaultWindow[];
  /** The run reduced to what a later run is compared with when this file is its baseline (soak gate --baseline summary.json). */
  regressionBasis: RegressionBasis;
  /** Clinic.js reports of a run made with --profile, relative to the run directory. */
  profiles: ProfileReport[];
}

/** 'unfinished' when there is no run-end record: soak itself was killed or the run is still going. */
export function endOf(facts: RunFacts): { reason: EndReason; message?: string } {
  const { end } = facts;
  if (!end) return { reason: 'unfinished' };
  return end.message ? { reason: end.reason, message: end.message } : { reason: end.reason };
}

export interface SummaryOptions {
  /** Judge a run cut short on what it gathered instead of calling it incomplete. */
  allowPartial?: boolean;
}

export function buildSummary(facts: RunFacts, findings: Finding[], options: SummaryOptions = {}): Summary {
  const end = endOf(facts);
  const { verdict, incomplete } = judgeRun(facts, { findings, allowPartial: options.allowPartial });
  const { load, phases } = summarizeLoad(facts);
  const target: Record<string, ServiceSummary> = {};
  for (const service of servicesOf(facts)) target[service.name] = summarizeService(facts, service);

  return {
    verdict,
    findings,
    run: {
      name: facts.meta.name,
      startedAt: facts.startT,
      endedAt: facts.endT,
      durationMs: facts.endT - facts.startT,
      plannedMs: facts.meta.plannedMs,
      endReason: end.reason,
      ...(end.message ? { endMessage: end.message } : {}),
      ...(incomplete ? { incomplete } : {}),
      ...(facts.skippedRecords ? { skippedRecords: facts.skippedRecords } : {}),
      dir: facts.dir,
      soakVersion: facts.meta.soakVersion,
    },
    load,
    target,
    phases,
    faults: facts.faults.map((span) => ({ ...span })),
    regressionBasis: regressionBasis(facts, { warmupMs: facts.config.warmupMs }),
    profiles: profileReports(facts.dir),
  };
}
