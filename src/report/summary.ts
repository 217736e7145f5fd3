import type { Finding, RunData } from '../analyze/types.js';
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
}

export function buildSummary(run: RunData, findings: Finding[]): Summary {
  const end = runEnd(run);
  const phaseStarts = eventsOf(run, 'phase-start').map(({ stream, phase, kind, t, durationMs }) => ({ stream, phase, kind, t, durationMs }));
  const { load, phases } = summarizeLoad(run.load, phaseStarts);
  const target: Record<string, ServiceSummary> = {};
  for (const name of serviceNames(run)) target[name] = summarizeService(run, name);

  return {
    verdict: findings.some((finding) => finding.severity === 'fail') ? 'fail' : 'pass',
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
  };
}
