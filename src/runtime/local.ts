import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { compiledAsset } from '../core/paths.js';
import { z } from 'zod';
import { SoakError } from '../core/errors.js';
import { durationMs } from '../core/fields.js';
import type { GuardRequest } from './guard.js';
import { signalService } from './process-tree.js';
import { tailLines } from './stderr-tail.js';
import type { Runtime, ServiceExit, ServiceHandle, ServiceStart } from './types.js';

const guardPath = compiledAsset('runtime/guard.js');

export const localOptionsSchema = z
  .object({
    /** Shell command line, e.g. "node server.js". */
    cmd: z.string({ error: 'required: the command that starts the service, e.g. "node server.js"' }).min(1, { error: 'must not be empty' }),
    /** Working directory (relative to where soak runs). */
    cwd: z.string().optional(),
    /** What asks the service to stop: SIGTERM, or SIGINT for services that finish their work on Ctrl-C (a profiler writing its report). */
    stopSignal: z.enum(['SIGTERM', 'SIGINT'], { error: 'expected "SIGTERM" or "SIGINT"' }).optional(),
    /** How long it may take to stop before it is killed (default 5s). */
    stopTimeout: durationMs.optional(),
  })
  .strict();

export type LocalOptions = z.infer<typeof localOptionsSchema>;

interface GuardMessage {
  type: 'started' | 'exit' | 'error';
  pid?: number;
  code?: number | null;
  signal?: string | null;
  message?: string;
}

/** One start of the service: its guard, its process group and how it ended. */
interface Incarnation {
  guard: ChildProcess;
  pid: number;
  exited: Promise<ServiceExit>;
}

class LocalService implements ServiceHandle {
  pid = 0;
  url?: string;
  exited!: Promise<ServiceExit>;
  private current?: Incarnation;
  /** Set when soak asks for the exit, so the exit is not reported as a crash. */
  private stopping = false;
  private readonly exitListeners: ((exit: ServiceExit) => void)[] = [];

  constructor(
    private readonly request: ServiceStart & { options: LocalOptions },
    readonly name = request.name,
    readonly port = request.port,
  ) {
    if (port !== undefined) this.url = `http://127.0.0.1:${port}`;
  }

  async launch(): Promise<void> {
    const { options, env, stdoutFile, stderrFile, runId, scratchDirs = [] } = this.request;
    const cwd = resolve(options.cwd ?? '.');
    const guardRequest: GuardRequest = { name: this.name, command: options.cmd, stdoutFile, stderrFile, scratchDirs };
    const guard = fork(guardPath, [JSON.stringify(guardRequest)], {
      cwd,
      env: { ...process.env, ...env, ...(this.port !== undefined ? { PORT: String(this.port) } : {}), SOAK_RUN_ID: runId },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      // The guard's own NODE_OPTIONS must not load the probe into the guard.
      execArgv: [],
    });
    this.stopping = false;
    const started = new Promise<number>((resolvePid, reject) => {
      guard.once('message', (message: GuardMessage) => {
        if (message.type === 'started' && message.pid) resolvePid(message.pid);
        else reject(new SoakError('runtime', `${this.name}: cannot start "${options.cmd}": ${message.message ?? 'unknown error'}`));
      });
      guard.once('exit', () => reject(new SoakError('runtime', `${this.name}: the process guard exited before the service started`)));
    });
    const exited = new Promise<ServiceExit>((resolveExit) => {
      let reported = false;
      const report = (code: number | null, signal: string | null) => {
        if (reported) return;
        reported = true;
        const exit = { code, signal, expected: this.stopping, stderrTail: tailLines(stderrFile) };
        resolveExit(exit);
        for (const listener of this.exitListeners) listener(exit);
      };
      guard.on('message', (message: GuardMessage) => {
        if (message.type === 'exit') report(message.code ?? null, message.signal ?? null);
      });
      guard.once('exit', (code, signal) => report(code, signal));
    });
    const pid = await started;
    this.current = { guard, pid, exited };
    this.pid = pid;
    this.exited = exited;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.current) signalService(this.current.pid, signal);
  }

  async stop(graceMs = this.request.options.stopTimeout ?? 5000): Promise<void> {
    if (!this.current) return;
    this.stopping = true;
    // A paused group would never act on SIGTERM.
    this.signal('SIGCONT');
    const stopSignal = this.request.options.stopSignal ?? 'SIGTERM';
    // SIGINT as a terminal sends it on Ctrl-C: once, to the process group. Tools that finish their work on
    // Ctrl-C (a profiler writing its report) quit at once on a second one.
    if (stopSignal === 'SIGINT') process.kill(-this.current.pid, 'SIGINT');
    else this.signal(stopSignal);
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.current.exited;
    clearTimeout(timer);
  }

  kill(signal: NodeJS.Signals): void {
    this.stopping = true;
    this.signal('SIGCONT');
    this.signal(signal);
  }

  onExit(listener: (exit: ServiceExit) => void): void {
    this.exitListeners.push(listener);
  }

  async pause(): Promise<void> {
    this.signal('SIGSTOP');
  }

  async resume(): Promise<void> {
    this.signal('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}

export const localRuntime: Runtime<LocalOptions> = {
  kind: 'local',
  schema: localOptionsSchema,
  async start(request) {
    const service = new LocalService(request);
    await service.launch();
    request.resources.add(`stop ${request.name}`, () => service.stop());
    return service;
  },
};
