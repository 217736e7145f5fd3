import type { Finding, RunFacts } from '../analyze/index.js';
import { exposition, type ExpositionFormat, type Family } from './exposition.js';
import type { LatestFigures } from './latest.js';
import { loadFamilies } from './load-metrics.js';
import { processFamilies } from './process-metrics.js';

/** Where a run is: waiting (no records yet), running, ended (its run-end is written), stopped (not going on, never ended: its soak was killed). */
export type RunState = 'waiting' | 'running' | 'ended' | 'stopped';
export const RUN_STATES: readonly RunState[] = ['waiting', 'running', 'ended', 'stopped'];

export interface MetricsInput {
  facts: RunFacts;
  latest: LatestFigures;
  /** The findings of the last analysis (provisional while the run goes on). */
  findings: readonly Finding[];
  state: RunState;
}

function runFamilies({ facts, findings, state }: MetricsInput): Family[] {
  const counts = new Map<string, { kind: string; severity: string; count: number }>();
  for (const finding of findings) {
    const key = `${finding.kind}\u0000${finding.severity}`;
    const entry = counts.get(key) ?? { kind: finding.kind, severity: finding.severity, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [
    { name: 'soak_run_info', type: 'info', help: 'The run soak is following: its name and the soak that writes it.', samples: [{ labels: { name: facts.meta.name, soak_version: facts.meta.soakVersion }, value: 1 }] },
    { name: 'soak_run_state', type: 'gauge', help: 'Where the run is: 1 for its state (running, ended, stopped: not going on and never ended), 0 for the others.', samples: RUN_STATES.filter((one) => one !== 'waiting').map((one) => ({ labels: { state: one }, value: one === state ? 1 : 0 })) },
    { name: 'soak_run_elapsed_seconds', type: 'gauge', help: 'Time from the start of the run to its last record.', samples: [{ labels: {}, value: (facts.endT - facts.startT) / 1000 }] },
    { name: 'soak_run_planned_seconds', type: 'gauge', help: 'The length of the run its scenario planned.', samples: [{ labels: {}, value: facts.meta.plannedMs / 1000 }] },
    {
      name: 'soak_fault_active',
      type: 'gauge',
      help: 'Each fault injected so far: 1 while it is on, 0 once it ended.',
      samples: facts.faults.map((fault) => ({ labels: { fault: fault.fault, kind: fault.kind, target: fault.target }, value: fault.end === null ? 1 : 0 })),
    },
    {
      name: 'soak_findings',
      type: 'gauge',
      help: "Findings of soak's detectors on the records so far, by kind and severity (provisional while the run goes on).",
      samples: [...counts.values()].map(({ kind, severity, count }) => ({ labels: { kind, severity }, value: count })),
    },
  ];
}

/** The run's live figures in a Prometheus text exposition format. */
export function metricsText(input: MetricsInput, format: ExpositionFormat): string {
  return exposition([...runFamilies(input), ...loadFamilies(input.facts, input.latest), ...processFamilies(input.latest)], format);
}
