import { figure, offset, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { ChildExit } from '../facts/service.js';
import type { Finding } from '../types.js';
import { densest, LOOP_EXITS } from './loop-window.js';
import { unexpectedExits } from './target-crash.js';

/** A loop is still going at the end if its last crash is this recent, or within three of its own gaps. */
const STILL_LOOPING_MS = 30_000;

function finding(facts: RunFacts, service: string, total: number, loop: ChildExit[]): Finding {
  const first = loop[0]!;
  const last = loop[loop.length - 1]!;
  const spanMs = last.t - first.t;
  const perMinute = spanMs > 0 ? ((loop.length - 1) * 60_000) / spanMs : loop.length;
  const codes = [...new Set(loop.map((exit) => exit.code))];
  const scripts = [...new Set(loop.map((exit) => exit.script))];
  const cpu = facts.services.get(service)?.treeCpu.meanBetween(first.t, last.t);
  const meanUptimeMs = loop.reduce((sum, exit) => sum + exit.uptimeMs, 0) / loop.length;
  return {
    kind: 'crash-loop',
    severity: 'fail',
    title: `${service} keeps restarting a crashing child ${scripts.join(', ')} (${figure(perMinute)} crashes/min)`,
    service,
    at: loop[LOOP_EXITS - 1]!.t,
    evidence: {
      summary:
        `Child processes of ${service} (${scripts.join(', ')}) exited with code ${codes.join(', ')} ${plural(loop.length, 'time')} between ` +
        `${offset(first.t, facts.startT)} and ${offset(last.t, facts.startT)}: ${figure(perMinute)} a minute, each up ${figure(meanUptimeMs / 1000)} s on average, ` +
        `and still at it ${figure((facts.endT - last.t) / 1000)} s before the end, while ${service} itself stayed up` +
        `${cpu === undefined ? '' : `, its process tree using ${figure(cpu)}% of a core`}. ` +
        'A supervisor that restarts without back-off or a limit hides a permanent failure as a flapping one.',
      source: 'child exit records',
      crashesInWindow: loop.length,
      crashesTotal: total,
      windowStart: first.t,
      windowEnd: last.t,
      crashesPerMinute: round(perMinute),
      meanChildUptimeMs: Math.round(meanUptimeMs),
      exitCodes: codes,
      ...(cpu === undefined ? {} : { meanTreeCpuPercent: round(cpu) }),
      crashes: loop.map((exit) => ({ t: exit.t, pid: exit.pid, code: exit.code, uptimeMs: exit.uptimeMs })),
    },
  };
}

/**
 * A service that keeps restarting node children that crash, as recorded by the children
 * themselves: at least three non-zero exits within five minutes, still going at the end of the run
 * while the service itself is up. A supervisor that backs off and then gives up (and exits) is not
 * in a loop: its own exit is a target-crash.
 */
export function childCrashLoops(facts: RunFacts): Finding[] {
  const serviceExits = unexpectedExits(facts);
  return [...facts.services.values()].flatMap((service) => {
    const all = [...service.childCrashes].sort((a, b) => a.t - b.t);
    const loop = densest(all);
    if (loop.length < LOOP_EXITS) return [];
    const last = loop[loop.length - 1]!;
    const gave = (serviceExits.get(service.name) ?? []).some((exit) => exit.t >= last.t);
    const meanGapMs = (last.t - loop[0]!.t) / (loop.length - 1);
    const stillLooping = facts.endT - all[all.length - 1]!.t <= Math.max(STILL_LOOPING_MS, 3 * meanGapMs);
    return !gave && stillLooping ? [finding(facts, service.name, service.childCrashCount, loop)] : [];
  });
}
