import type { NodeProbeSample } from '../../store/records.js';
import type { Detector, Finding, RunData } from '../types.js';
import { figure, offset, plural, round } from '../words.js';
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
function replacedProcesses(samples: NodeProbeSample[], intervalMs: number): Exit[] {
  const lives = new Map<number, { pid: number; first: number; last: number }>();
  for (const sample of samples) {
    const life = lives.get(sample.pid);
    if (life) life.last = Math.max(life.last, sample.t);
    else lives.set(sample.pid, { pid: sample.pid, first: sample.t, last: sample.t });
  }
  const all = [...lives.values()];
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
function exitsOf(run: RunData, service: string): Exit[] {
  const events: Exit[] = (unexpectedExits(run).get(service) ?? []).map((exit) => ({ t: exit.t, pid: exit.pid, how: 'exit event' }));
  const intervalMs = run.meta.sampleIntervalMs;
  const sameRestart = (replaced: Exit) => events.some((event) => event.pid === replaced.pid || Math.abs(event.t - replaced.t) <= 2 * intervalMs + 1000);
  const replaced = replacedProcesses(run.node.get(service) ?? [], intervalMs).filter((exit) => !sameRestart(exit));
  return [...events, ...replaced].sort((a, b) => a.t - b.t);
}

function finding(run: RunData, service: string, exits: Exit[], loop: Exit[]): Finding {
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
        `${service} exited unexpectedly ${plural(loop.length, 'time')} between ${offset(first.t, run.startT)} and ${offset(last.t, run.startT)} ` +
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
  detect(run) {
    const services = new Set([...unexpectedExits(run).keys(), ...run.node.keys()]);
    const serviceLoops = [...services].flatMap((service) => {
      const exits = exitsOf(run, service);
      const loop = densest(exits);
      return loop.length >= LOOP_EXITS ? [finding(run, service, exits, loop)] : [];
    });
    const looping = new Set(serviceLoops.map((loop) => loop.service));
    return [...serviceLoops, ...childCrashLoops(run).filter((loop) => !looping.has(loop.service))];
  },
};
