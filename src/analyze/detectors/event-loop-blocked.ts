import { figure, offset, percent, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { EventLoopStalls } from '../facts/event-loop.js';
import type { Detector, Finding } from '../types.js';

function finding(facts: RunFacts, service: string, stalls: EventLoopStalls): Finding {
  const { config } = facts;
  const first = stalls.first!;
  const worst = stalls.worst!;
  const gcNote = worst.gcPauseMs > 0 ? ` GC paused it ${figure(worst.gcPauseMs)} ms in that interval.` : '';
  return {
    kind: 'event-loop-blocked',
    severity: 'fail',
    title: `Event loop of ${service} blocked up to ${figure(worst.maxMs)} ms`,
    service,
    at: first.t,
    evidence: {
      summary:
        `The event loop of ${service} was delayed past ${figure(config.eventLoopMaxMs)} ms (max) or ${figure(config.eventLoopP99Ms)} ms (p99) ` +
        `in ${plural(stalls.blocked, 'interval')} of ${stalls.checked} (${percent(stalls.blocked / stalls.checked)}), first at ${offset(first.t, facts.startT)}; ` +
        `the worst was ${figure(worst.maxMs)} ms at ${offset(worst.t, facts.startT)}. While it is blocked no request is served.${gcNote}`,
      maxThresholdMs: config.eventLoopMaxMs,
      p99ThresholdMs: config.eventLoopP99Ms,
      intervalsBlocked: stalls.blocked,
      intervalsChecked: stalls.checked,
      firstAt: first.t,
      firstMaxMs: round(first.maxMs),
      worstAt: worst.t,
      worstMaxMs: round(worst.maxMs),
      worstP99Ms: round(worst.p99Ms),
      worstUtilization: round(worst.utilization),
      worstGcPauseMs: round(worst.gcPauseMs),
      hostPausesIgnored: stalls.hostPauses,
      intervals: stalls.listed.map((stall) => ({ t: stall.t, pid: stall.pid, maxMs: round(stall.maxMs), p99Ms: round(stall.p99Ms) })),
    },
  };
}

/**
 * Intervals whose event-loop delay reached the thresholds (defaults as Clinic Doctor: 100 ms max) while
 * the process was busy, after each process's startup. A blocked loop stalls every request and timer of the process.
 */
export const eventLoopBlocked: Detector = {
  name: 'event-loop-blocked',
  detect(facts) {
    return [...facts.services.values()].flatMap((service) => (service.stalls.blocked > 0 ? [finding(facts, service.name, service.stalls)] : []));
  },
};
