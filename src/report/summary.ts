import { configFromScenario } from '../analyze/config.js';
import { regressionBasis, type RegressionBasis } from '../analyze/regression/index.js';
import type { Finding, RunData } from '../analyze/types.js';
import { profileReports, type ProfileReport } from '../profile/index.js';
import type { Scenario } from '../scenario/types.js';
import { summarizeLoad, type LoadSummary, type PhaseFigures } from './load-summary.js';
import { eventsOf, faultWindows, runEnd, serviceNames, type EndReason, type FaultWindow } from './run-events.js';
import { summarizeService, type ServiceSummary } from './target-summary.js';

/** The contract of summary.json: what CI jobs and other tools read. Times are epoch ms, sizes bytes, latencies ms. */
export interface Summary {
  verdict: 'pass' | 'fail';
  findings: Finding[];
  run: {
    name: string;
    startedAt: number;
    endedAt: number;
    durationMs: number;
    plannedMs: number;
    endReason: EndReason;
    endMessage?: string;
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

export function buildSummary(run: RunData, findings: Finding[]): Summary {
  const end = runEnd(run);
  const phaseStarts = eventsOf(run, 'phase-start').map(({ stream, phase, kind, t, durationMs }) => ({ stream, phase, kind, t, durationMs }));
  const { load, phases } = summarizeLoad(run.load, phaseStarts);
  const target: Record<string, ServiceSummary> = {};
  for (const name of serviceNames(run)) target[name] = summarizeService(run, name);

  return {
    // A run that could not do what it was asked (its target never got ready, a dependency failed) proves nothing: it fails.
    verdict: end.reason === 'error' || findings.some((finding) => finding.severity === 'fail') ? 'fail' : 'pass',
    findings,
    run: {
      name: run.meta.name,
      startedAt: run.startT,
      endedAt: run.endT,
      durationMs: run.endT - run.startT,
      plannedMs: run.meta.plannedMs,
      endReason: end.reason,
      ...(end.message ? { endMessage: end.message } : {}),
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
