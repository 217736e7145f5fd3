import { figure, offset, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import type { Detector, Finding } from '../types.js';
import { childCrashLoops } from './child-crash-loop.js';
import { densest, LOOP_EXITS } from './loop-window.js';
import { unexpectedExits } from './target-crash.js';

interface Exit {
  t: number;
  pid: number;
  how: 'exit event' | 'process replaced';
}

/**
 * Processes of a service that stopped reporting while a successor took over, with no other process of the
 * service spanning the gap: a supervisor soak does not see (a shell loop, nodemon, a cluster primary)
 * restarting a crashed process. Children that come and go beside a long-lived parent are not restarts.
 */
function replacedProcesses(lives: ReadonlyMap<number, { first: number; last: number }>, intervalMs: number): Exit[] {
  const all = [...lives].map(([pid, life]) => ({ pid, ...life }));
  if (all.length === 0) return [];
  const end = Math.max(...all.map((life) => life.last));
  const replaced: Exit[] = [];
  for (const life of all) {
    if (life.last >= end - 2 * intervalMs) continue;
    const successor = all.find((other) => other.first > life.last);
    if (!successor) continue;
    const spanned = all.some((other) => other !== life && other !== successor && other.first <= life.last && other.last >= successor.first);
    if (!spanned) replaced.push({ t: life.last, pid: life.pid, how: 'process replaced' });
  }
  return replaced;
}

/** Exit events and replacements seen in the samples, without counting one restart twice. */
function exitsOf(facts: RunFacts, service: string, unexpected: Map<string, { t: number; pid: number }[]>): Exit[] {
  const events: Exit[] = (unexpected.get(service) ?? []).map((exit) => ({ t: exit.t, pid: exit.pid, how: 'exit event' }));
  const intervalMs = facts.meta.sampleIntervalMs;
  const sameRestart = (replaced: Exit) => events.some((event) => event.pid === replaced.pid || Math.abs(event.t - replaced.t) <= 2 * intervalMs + 1000);
  const replaced = replacedProcesses(facts.services.get(service)?.lives ?? new Map(), intervalMs).filter((exit) => !sameRestart(exit));
  return [...events, ...replaced].sort((a, b) => a.t - b.t);
}

function finding(facts: RunFacts, service: string, exits: Exit[], loop: Exit[]): Finding {
  const first = loop[0]!;
  const last = loop[loop.length - 1]!;
  const spanMs = last.t - first.t;
  const perMinute = spanMs > 0 ? ((loop.length - 1) * 60_000) / spanMs : loop.length;
  const fromSamples = loop.filter((exit) => exit.how === 'process replaced').length;
  return {
    kind: 'crash-loop',
    severity: 'fail',
    title: `${service} is in a crash loop (${figure(perMinute)} restarts/min)`,
    service,
    at: loop[LOOP_EXITS - 1]!.t,
    evidence: {
      summary:
        `${service} exited unexpectedly ${plural(loop.length, 'time')} between ${offset(first.t, facts.startT)} and ${offset(last.t, facts.startT)} ` +
        `(${figure(perMinute)} restarts a minute, ${figure(spanMs / (loop.length - 1) / 1000)} s apart on average)` +
        `${fromSamples > 0 ? `; ${fromSamples} of them were seen as its process being replaced by a new one` : ''}. ` +
        'A process that keeps dying and being restarted serves little and may hammer its dependencies on every start.',
      exitsInWindow: loop.length,
      exitsTotal: exits.length,
      windowStart: first.t,
      windowEnd: last.t,
      restartsPerMinute: round(perMinute),
      meanUptimeMs: Math.round(spanMs / (loop.length - 1)),
      exits: loop.map((exit) => ({ t: exit.t, pid: exit.pid, how: exit.how })),
    },
  };
}

/** A service that exits unexpectedly again and again within a few minutes (exit events, process replacements), or keeps restarting node children that crash. */
export const crashLoop: Detector = {
  name: 'crash-loop',
  detect(facts) {
    const unexpected = unexpectedExits(facts);
    const services = new Set([...unexpected.keys(), ...[...facts.services.values()].filter((service) => service.probed).map((service) => service.name)]);
    const serviceLoops = [...services].flatMap((service) => {
      const exits = exitsOf(facts, service, unexpected);
      const loop = densest(exits);
      return loop.length >= LOOP_EXITS ? [finding(facts, service, exits, loop)] : [];
    });
    const looping = new Set(serviceLoops.map((loop) => loop.service));
    return [...serviceLoops, ...childCrashLoops(facts).filter((loop) => !looping.has(loop.service))];
  },
};
