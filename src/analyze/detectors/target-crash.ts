import type { RunFacts } from '../facts/builder.js';
import type { ServiceExit } from '../facts/service.js';
import type { Detector, Finding } from '../types.js';
import { offset, plural } from '../../core/format.js';

/** Exits soak did not ask for (not a stop at the end of the run, not an injected kill), by service, in time order. */
export function unexpectedExits(facts: RunFacts): Map<string, ServiceExit[]> {
  const exits = new Map<string, ServiceExit[]>();
  for (const [name, service] of facts.services) {
    const unexpected = service.exits.filter((exit) => !exit.expected);
    if (unexpected.length > 0) exits.set(name, unexpected);
  }
  return exits;
}

/** Stack frames and V8's native backtrace say where, not why. */
const FRAME = /^(at\s|\d+:\s+0x|<---|=+|\^+$)/;
const NAMES_CAUSE = /(\w*Error\b|\bFATAL\b|\bfatal\b|\w*Exception\b|\bpanic\b|out of memory)/;

/** The stderr line most likely to say why: the last that names an error, else the last that is not a stack frame. */
function causeLine(stderrTail: string[]): string | undefined {
  const lines = stderrTail.map((line) => line.trim()).filter((line) => line.length > 0 && !FRAME.test(line));
  const named = lines.filter((line) => NAMES_CAUSE.test(line));
  return named[named.length - 1] ?? lines[lines.length - 1];
}

function how(exit: ServiceExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}

function finding(facts: RunFacts, service: string, exits: ServiceExit[]): Finding {
  const first = exits[0]!;
  const cause = causeLine(first.stderrTail);
  const more = exits.length > 1 ? ` It exited unexpectedly ${plural(exits.length, 'time')} in all.` : '';
  return {
    kind: 'target-crash',
    severity: 'fail',
    title: `${service} ${how(first)} at ${offset(first.t, facts.startT)}`,
    service,
    at: first.t,
    evidence: {
      summary: `${service} (pid ${first.pid}) ${how(first)} at ${offset(first.t, facts.startT)} without being asked to stop${cause ? `: ${cause}` : ''}.${more}`,
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
  detect(facts) {
    return [...unexpectedExits(facts)].map(([service, exits]) => finding(facts, service, exits));
  },
};
