import { configFromScenario } from '../analyze/config.js';
import { judgeRun, type IncompleteReason, type Verdict } from '../analyze/index.js';
import { regressionBasis, type RegressionBasis } from '../analyze/regression/index.js';
import type { Finding, RunData } from '../analyze/types.js';
import { profileReports, type ProfileReport } from '../profile/index.js';
import type { Scenario } from '../scenario/types.js';
import { summarizeLoad, type LoadSummary, type PhaseFigures } from './load-summary.js';
import { eventsOf, faultWindows, runEnd, serviceNames, type EndReason, type FaultWindow } from './run-events.js';
import { summarizeService, type ServiceSummary } from './target-summary.js';

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
    incomplete?: { reason: IncompleteReason; message: string };
    /** Run files with records skipped as malformed, one line each. */
    skippedRecords?: string[];
    dir: string;
    soakVersion: string;
  };
  load: LoadSummary;
  /** Keyed by service name. */
  target: Record<string, ServiceSummary>;
  phases: PhaseFigures[];
  faults: FaultWindow[];
  /** The run reduced to what a later run is compared with when this file is its baseline (soak gate --baseline summary.json). */
  regressionBasis: RegressionBasis;
  /** Clinic.js reports of a run made with --profile, relative to the run directory. */
  profiles: ProfileReport[];
}

/** The warm-up the run's own analysis used. */
function warmupOf(run: RunData): number {
  const scenario = run.meta.scenario as Partial<Scenario>;
  return configFromScenario(scenario.budgets ?? {}, scenario.analysis ?? {}).warmupMs;
}

export interface SummaryOptions {
  /** Judge a run cut short on what it gathered instead of calling it incomplete. */
  allowPartial?: boolean;
}

export function buildSummary(run: RunData, findings: Finding[], options: SummaryOptions = {}): Summary {
  const end = runEnd(run);
  const { verdict, completeness } = judgeRun(run, findings.some((finding) => finding.severity === 'fail'), options.allowPartial);
  const phaseStarts = eventsOf(run, 'phase-start').map(({ stream, phase, kind, t, durationMs }) => ({ stream, phase, kind, t, durationMs }));
  const { load, phases } = summarizeLoad(run.load, phaseStarts);
  const target: Record<string, ServiceSummary> = {};
  for (const name of serviceNames(run)) target[name] = summarizeService(run, name);

  return {
    verdict,
    findings,
    run: {
      name: run.meta.name,
      startedAt: run.startT,
      endedAt: run.endT,
      durationMs: run.endT - run.startT,
      plannedMs: run.meta.plannedMs,
      endReason: end.reason,
      ...(end.message ? { endMessage: end.message } : {}),
      ...(completeness.complete ? {} : { incomplete: { reason: completeness.reason, message: completeness.message } }),
      ...(run.skippedRecords ? { skippedRecords: run.skippedRecords } : {}),
      dir: run.dir,
      soakVersion: run.meta.soakVersion,
    },
    load,
    target,
    phases,
    faults: faultWindows(run),
    regressionBasis: regressionBasis(run, { warmupMs: warmupOf(run) }),
    profiles: profileReports(run.dir),
  };
}
