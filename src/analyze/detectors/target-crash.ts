import type { RunEvent } from '../../store/records.js';
import type { Detector, Finding, RunData } from '../types.js';
import { offset, plural } from '../words.js';

export type ServiceExit = Extract<RunEvent, { type: 'service-exit' }>;

/** Exits soak did not ask for (not a stop at the end of the run, not an injected kill), by service, in time order. */
export function unexpectedExits(run: RunData): Map<string, ServiceExit[]> {
  const exits = new Map<string, ServiceExit[]>();
  for (const event of run.events) {
    if (event.type !== 'service-exit' || event.expected) continue;
    const list = exits.get(event.service);
    if (list) list.push(event);
    else exits.set(event.service, [event]);
  }
  return exits;
}

/** Stack frames and V8's native backtrace say where, not why. */
const frame = /^(at\s|\d+:\s+0x|<---|=+|\^+$)/;
const namesCause = /(\w*Error\b|\bFATAL\b|\bfatal\b|\w*Exception\b|\bpanic\b|out of memory)/;

/** The stderr line most likely to say why: the last that names an error, else the last that is not a stack frame. */
function causeLine(stderrTail: string[]): string | undefined {
  const lines = stderrTail.map((line) => line.trim()).filter((line) => line.length > 0 && !frame.test(line));
  const named = lines.filter((line) => namesCause.test(line));
  return named[named.length - 1] ?? lines[lines.length - 1];
}

function how(exit: ServiceExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}

function finding(run: RunData, service: string, exits: ServiceExit[]): Finding {
  const first = exits[0]!;
  const cause = causeLine(first.stderrTail);
  const more = exits.length > 1 ? ` It exited unexpectedly ${plural(exits.length, 'time')} in all.` : '';
  return {
    kind: 'target-crash',
    severity: 'fail',
    title: `${service} ${how(first)} at ${offset(first.t, run.startT)}`,
    service,
    at: first.t,
    evidence: {
      summary: `${service} (pid ${first.pid}) ${how(first)} at ${offset(first.t, run.startT)} without being asked to stop${cause ? `: ${cause}` : ''}.${more}`,
      pid: first.pid,
      code: first.code,
      signal: first.signal,
      exitedAt: first.t,
      exits: exits.length,
      stderrTail: first.stderrTail,
      ...(exits.length > 1 ? { allExits: exits.map((exit) => ({ t: exit.t, pid: exit.pid, code: exit.code, signal: exit.signal })) } : {}),
    },
  };
}

/** A service that exited on its own during the run: its code or signal and the end of its stderr. */
export const targetCrash: Detector = {
  name: 'target-crash',
  detect(run) {
    return [...unexpectedExits(run)].map(([service, exits]) => finding(run, service, exits));
  },
};
