import type { Detector, Finding } from '../types.js';

/**
 * A scenario's invariant checks (acknowledged writes all present, the stored maximum equals
 * the true one...) run after the load; each failed one is a finding of the kind the check names,
 * `data-loss` by default, carrying the counts the check reported.
 */
export const failedCheck: Detector = {
  name: 'failed-check',
  detect(facts) {
    const findings: Finding[] = [];
    for (const event of facts.checks) {
      if (event.ok) continue;
      const { kind, message, ...detail } = event.detail as { kind?: string; message?: string } & Record<string, unknown>;
      const counts = Object.entries(detail)
        .filter(([, value]) => typeof value === 'number' || typeof value === 'string')
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');
      findings.push({
        kind: kind ?? 'data-loss',
        severity: 'fail',
        title: `check "${event.check}" failed${message ? `: ${message}` : ''}`,
        at: event.t,
        evidence: {
          summary: `The check "${event.check}" ran after the load and failed${message ? ` (${message})` : ''}${counts ? `: ${counts}` : ''}.`,
          check: event.check,
          ...detail,
        },
      });
    }
    return findings;
  },
};
