import type { RunEvent } from '../../store/records.js';
import type { Finding, RunData } from '../types.js';
import { figure, offset, plural, round } from '../words.js';
import { densest, LOOP_EXITS } from './loop-window.js';
import { unexpectedExits } from './target-crash.js';

type ChildExit = Extract<RunEvent, { type: 'child-exit' }>;

/** A loop is still going at the end if its last crash is this recent, or within three of its own gaps. */
const STILL_LOOPING_MS = 30_000;

function meanCpuPercent(run: RunData, service: string, from: number, to: number): number | undefined {
  const samples = (run.os.get(service) ?? []).filter((sample) => sample.t >= from && sample.t <= to);
  if (samples.length === 0) return undefined;
  return samples.reduce((sum, sample) => sum + sample.cpuPercent, 0) / samples.length;
}

function finding(run: RunData, service: string, all: ChildExit[], loop: ChildExit[]): Finding {
  const first = loop[0]!;
  const last = loop[loop.length - 1]!;
  const spanMs = last.t - first.t;
  const perMinute = spanMs > 0 ? ((loop.length - 1) * 60_000) / spanMs : loop.length;
  const codes = [...new Set(loop.map((exit) => exit.code))];
  const scripts = [...new Set(loop.map((exit) => exit.script))];
  const cpu = meanCpuPercent(run, service, first.t, last.t);
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
        `${offset(first.t, run.startT)} and ${offset(last.t, run.startT)}: ${figure(perMinute)} a minute, each up ${figure(meanUptimeMs / 1000)} s on average, ` +
        `and still at it ${figure((run.endT - last.t) / 1000)} s before the end, while ${service} itself stayed up` +
        `${cpu === undefined ? '' : `, its process tree using ${figure(cpu)}% of a core`}. ` +
        'A supervisor that restarts without back-off or a limit hides a permanent failure as a flapping one.',
      source: 'child exit records',
      crashesInWindow: loop.length,
      crashesTotal: all.length,
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
export function childCrashLoops(run: RunData): Finding[] {
  const crashes = new Map<string, ChildExit[]>();
  for (const event of run.events) {
    if (event.type !== 'child-exit' || event.code === 0) continue;
    crashes.set(event.service, [...(crashes.get(event.service) ?? []), event]);
  }
  const serviceExits = unexpectedExits(run);
  return [...crashes].flatMap(([service, all]) => {
    all.sort((a, b) => a.t - b.t);
    const loop = densest(all);
    if (loop.length < LOOP_EXITS) return [];
    const last = loop[loop.length - 1]!;
    const gave = (serviceExits.get(service) ?? []).some((exit) => exit.t >= last.t);
    const meanGapMs = (last.t - loop[0]!.t) / (loop.length - 1);
    const stillLooping = run.endT - all[all.length - 1]!.t <= Math.max(STILL_LOOPING_MS, 3 * meanGapMs);
    return !gave && stillLooping ? [finding(run, service, all, loop)] : [];
  });
}
