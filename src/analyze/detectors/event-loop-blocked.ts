import { figure, offset, percent, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { EventLoopStalls } from '../facts/event-loop.js';
import type { Detector, Finding } from '../types.js';
import { eventLoopMaxBudget, judgeStalls } from './stall-rule.js';

function finding(facts: RunFacts, service: string, stalls: EventLoopStalls): Finding {
  const { config } = facts;
  const first = stalls.first!;
  const worst = stalls.worst!;
  const gcNote = worst.gcPauseMs > 0 ? ` GC paused it ${figure(worst.gcPauseMs)} ms in that interval, too little to explain the stall.` : '';
  const judgement = judgeStalls(stalls.code, stalls.judgedMs, eventLoopMaxBudget(facts));
  const drain = stalls.afterLoad > 0 ? ` ${plural(stalls.afterLoad, 'interval')} over the thresholds after the load's plan ended (soak closing its connections) were not judged.` : '';
  return {
    kind: 'event-loop-blocked',
    severity: judgement.severity,
    title: `Event loop of ${service} blocked up to ${figure(worst.maxMs)} ms`,
    service,
    at: first.t,
    evidence: {
      summary:
        `The event loop of ${service} was delayed past ${figure(config.eventLoopMaxMs)} ms (max) or ${figure(config.eventLoopP99Ms)} ms (p99) ` +
        `in ${plural(stalls.blocked, 'interval')} of ${stalls.checked} (${percent(stalls.blocked / stalls.checked)}), first at ${offset(first.t, facts.startT)}; ` +
        `the worst was ${figure(worst.maxMs)} ms at ${offset(worst.t, facts.startT)}. While it is blocked no request is served.${gcNote} ` +
        `Judged: ${judgement.reason}.${drain}`,
      rule: judgement.reason,
      stallsPerHour: round(judgement.perHour),
      judgedMs: Math.round(stalls.judgedMs),
      afterLoadIgnored: stalls.afterLoad,
      gcStallsApart: stalls.gc.count,
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
      hostContentionApart: stalls.host.count,
      soakHoldsIgnored: stalls.soakHolds,
      intervals: stalls.listed.map((stall) => ({ t: stall.t, pid: stall.pid, maxMs: round(stall.maxMs), p99Ms: round(stall.p99Ms) })),
    },
  };
}

/**
 * Intervals whose event-loop delay reached the thresholds (defaults as Clinic Doctor: 100 ms max) while
 * the process was busy, after each process's startup and before the load's plan ended, that no garbage
 * collection explains (those are gc-pause) nor a machine short of CPU (host-contention). A blocked loop stalls every request and timer of the process.
 * Severity by how long and how often (stall-rule.ts).
 */
export const eventLoopBlocked: Detector = {
  name: 'event-loop-blocked',
  detect(facts) {
    return [...facts.services.values()].flatMap((service) => (service.stalls.blocked > 0 ? [finding(facts, service.name, service.stalls)] : []));
  },
};
