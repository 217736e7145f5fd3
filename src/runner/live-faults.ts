import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSoakError, SoakError, type SoakErrorCode } from '../core/errors.js';
import { faultKinds, type FaultSchedule } from '../faults/index.js';
import { parseOrThrow } from '../scenario/errors.js';
import type { FaultConfig } from '../scenario/types.js';
import { requireRunDir, runHasEnded } from '../store/index.js';

/**
 * Faults asked for while a run is live (`soak fault <run-dir> <kind> key=value...`). The command
 * drops a request file into the run's control/ directory; the run polls it, begins the fault
 * through its scheduler (logged, shaded and analysed like a scheduled one) and writes the answer
 * beside the request. Files rather than a socket: the run directory is the one address both sides
 * already know, and the requests stay in it as a record of what was done by hand.
 */
export const CONTROL_DIR = 'control';
const POLL_MS = 250;
const ANSWER_POLL_MS = 100;
const REQUEST = '.request.json';
const ANSWER = '.answer.json';

export interface FaultRequest {
  kind: string;
  name?: string;
  /** The fault's own fields as a scenario would give them (target, duration, latency...). */
  fields: Record<string, unknown>;
}

export type FaultAnswer =
  | { ok: true; name: string; kind: string; target: string; atMs: number; durationMs?: number }
  | { ok: false; code: SoakErrorCode; message: string };

/** A request as the scheduler takes it, validated against its kind's schema; errors name `fault.<field>`. */
export function liveFaultConfig(request: FaultRequest, name: string, atMs: number): FaultConfig {
  const kind = faultKinds.get(request.kind);
  return { kind: request.kind, name, atMs, options: parseOrThrow(kind.schema, request.fields, 'fault.') };
}

/** Written whole or not at all: the other side polls for the file and must never read half of it. */
async function writeWhole(path: string, content: string): Promise<void> {
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
}

export interface FaultRequestWatcher {
  close(): Promise<void>;
}

/** The run's side: answers every request that appears in control/ until closed. */
export async function watchFaultRequests(runDir: string, startT: number, schedule: Pick<FaultSchedule, 'add'>): Promise<FaultRequestWatcher> {
  const dir = join(runDir, CONTROL_DIR);
  await mkdir(dir, { recursive: true });
  const answered = new Set<string>();
  let count = 0;

  async function answer(file: string): Promise<void> {
    const id = file.slice(0, -REQUEST.length);
    let reply: FaultAnswer;
    try {
      const request = JSON.parse(await readFile(join(dir, file), 'utf8')) as FaultRequest;
      const fault = liveFaultConfig(request, request.name ?? `${request.kind}-live-${++count}`, Date.now() - startT);
      const plan = faultKinds.get(fault.kind).plan(fault.options);
      await schedule.add(fault);
      reply = { ok: true, name: fault.name, kind: fault.kind, target: plan.target, atMs: Date.now() - startT, ...(plan.durationMs !== undefined ? { durationMs: plan.durationMs } : {}) };
    } catch (error) {
      reply = { ok: false, code: isSoakError(error) ? error.code : 'runtime', message: (error as Error).message };
    }
    await writeWhole(join(dir, `${id}${ANSWER}`), JSON.stringify(reply));
  }

  let polling = Promise.resolve();
  let closed = false;
  const poll = async () => {
    const pending = (await readdir(dir)).filter((file) => file.endsWith(REQUEST) && !answered.has(file)).sort();
    for (const file of pending) {
      if (closed) return;
      answered.add(file);
      await answer(file);
    }
  };
  const timer = setInterval(() => {
    polling = polling.then(poll).catch(() => {});
  }, POLL_MS);
  timer.unref();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await polling;
    },
  };
}

/** The command's side: sends one request to the live run in runDir and waits for its answer. */
export async function requestFault(runDir: string, request: FaultRequest, timeoutMs = 10_000): Promise<Extract<FaultAnswer, { ok: true }>> {
  requireRunDir(runDir);
  // Checked here too, so a mistyped field is told at once and not by a run that may be hours in.
  liveFaultConfig(request, request.name ?? request.kind, 0);
  const dir = join(runDir, CONTROL_DIR);
  if (!existsSync(dir) || (await runHasEnded(runDir))) throw new SoakError('usage', `${runDir}: the run is not live (it has ended, or it was written by a soak without live faults)`);

  const id = `${Date.now()}-${process.pid}`;
  await writeWhole(join(dir, `${id}${REQUEST}`), JSON.stringify(request));
  const answerPath = join(dir, `${id}${ANSWER}`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(answerPath)) {
    if (Date.now() > deadline) {
      await rm(join(dir, `${id}${REQUEST}`), { force: true });
      throw new SoakError('runtime', `${runDir}: no answer from the run in ${timeoutMs / 1000} s; is it still running?`);
    }
    await sleep(ANSWER_POLL_MS);
  }
  const reply = JSON.parse(await readFile(answerPath, 'utf8')) as FaultAnswer;
  if (!reply.ok) throw new SoakError(reply.code, reply.message);
  return reply;
}
