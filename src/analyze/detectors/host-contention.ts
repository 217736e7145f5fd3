import { figure, offset, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { EventLoopStalls } from '../facts/event-loop.js';
import type { Detector, Finding } from '../types.js';

function finding(facts: RunFacts, service: string, stalls: EventLoopStalls): Finding {
  const { host } = stalls;
  const first = host.first!;
  const worst = host.worst!;
  return {
    kind: 'host-contention',
    severity: 'warn',
    title: `The machine held ${service} off the CPU up to ${figure(worst.maxMs)} ms`,
    service,
    at: first.t,
    evidence: {
      summary:
        `The event loop of ${service} stalled past ${figure(facts.config.eventLoopMaxMs)} ms in ${plural(host.count, 'interval')}, first at ${offset(first.t, facts.startT)}; ` +
        `the worst, ${figure(worst.maxMs)} ms at ${offset(worst.t, facts.startT)}, while soak's own load thread (stream ${worst.soak?.stream ?? '?'}) was delayed ${figure(worst.soak?.maxMs ?? 0)} ms ` +
        `and ${service} used ${figure(worst.cpuMs)} ms of CPU. Both were held off the CPU at once: the machine had more work than cores (other processes, a shared CI runner), ` +
        `which no code of ${service} causes. Latency in those intervals is partly the machine's; run the soak where it does not share its cores to judge it.`,
      stalls: host.count,
      firstAt: first.t,
      worstAt: worst.t,
      worstMaxMs: round(worst.maxMs),
      worstCpuMs: round(worst.cpuMs),
      worstCpuBeyondUsualMs: round(worst.extraCpuMs),
      worstSoakDelayMs: round(worst.soak?.maxMs ?? 0),
      intervals: host.listed.map((stall) => ({ t: stall.t, pid: stall.pid, maxMs: round(stall.maxMs), cpuMs: round(stall.cpuMs), soakDelayMs: round(stall.soak?.maxMs ?? 0), stream: stall.soak?.stream ?? null })),
    },
  };
}

/**
 * Event-loop stalls the machine caused, not the target's code: soak's own load threads stalled with
 * them while the target used little CPU (facts/event-loop.ts). Said apart as a warning, so that a
 * starved machine is not read as blocking code.
 */
export const hostContention: Detector = {
  name: 'host-contention',
  detect(facts) {
    return [...facts.services.values()].flatMap((service) => (service.stalls.host.count > 0 ? [finding(facts, service.name, service.stalls)] : []));
  },
};
