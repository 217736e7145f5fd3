import { constants } from 'node:os';
import type Dockerode from 'dockerode';
import { tailLines } from '../stderr-tail.js';
import type { AppliedLimits, ResourceLimits, ServiceExit, ServiceHandle } from '../types.js';
import { attachLogs } from './logs.js';
import { limitContainer } from './limits.js';
import { EngineStatsSampler } from './stats.js';

const signalNames = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));

/** The engine gives an exit code only; 128+n is how a death by signal n shows in it (as in a shell). */
function exitOf(statusCode: number | null): { code: number | null; signal: string | null } {
  const signal = statusCode !== null && statusCode > 128 ? signalNames.get(statusCode - 128) : undefined;
  return signal ? { code: null, signal } : { code: statusCode, signal: null };
}

const ignoreGone = (error: unknown) => {
  // 304: already stopped / not paused; 404: removed; 409: not running. The state asked for holds.
  if (![304, 404, 409].includes((error as { statusCode?: number }).statusCode ?? 0)) throw error;
};

/**
 * A service in a container, seen through the same handle as a local process. The container is
 * created once and started again on restart, so its logs, labels and limits stay with it.
 */
export class ContainerService implements ServiceHandle {
  pid = 0;
  url?: string;
  exited!: Promise<ServiceExit>;
  private stopping = false;
  private paused = false;
  private running = false;
  private logsDone: Promise<void> = Promise.resolve();
  private readonly exitListeners: ((exit: ServiceExit) => void)[] = [];
  private readonly stats: EngineStatsSampler;

  constructor(
    private readonly docker: Dockerode,
    readonly container: Dockerode.Container,
    readonly name: string,
    private readonly files: { stdout: string; stderr: string },
    readonly port?: number,
    private readonly stopGraceMs = 5000,
  ) {
    if (port !== undefined) this.url = `http://127.0.0.1:${port}`;
    this.stats = new EngineStatsSampler(container);
  }

  /** Before each start: the container's output goes to the log files from its first line. */
  async attach(): Promise<void> {
    this.logsDone = (await attachLogs(this.docker, this.container, this.files)).done;
  }

  /** After each start: reads the new pid (ports are the ones passed in the env, on the host's network) and watches for the exit. */
  async started(): Promise<void> {
    this.stopping = false;
    this.paused = false;
    const state = (await this.container.inspect()).State;
    this.pid = state.Pid;
    this.running = true;
    this.exited = this.container
      .wait()
      .then((result: { StatusCode: number }) => result.StatusCode)
      .catch(() => null)
      .then(async (statusCode: number | null) => {
        this.running = false;
        // The last lines reach the file only once the output stream ends.
        await Promise.race([this.logsDone, new Promise((resolve) => setTimeout(resolve, 2000))]);
        const oomKilled = await this.container
          .inspect()
          .then((info) => info.State.OOMKilled)
          .catch(() => false);
        const stderrTail = tailLines(this.files.stderr);
        if (oomKilled) stderrTail.push('[soak] the kernel killed the container: it reached its memory limit');
        const exit: ServiceExit = { ...exitOf(statusCode), expected: this.stopping, stderrTail };
        for (const listener of this.exitListeners) listener(exit);
        return exit;
      });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.container.kill({ signal }).catch(() => {});
  }

  kill(signal: NodeJS.Signals): void {
    this.stopping = true;
    void this.resume()
      .then(() => this.container.kill({ signal }))
      .catch(() => {});
  }

  async stop(graceMs = this.stopGraceMs): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    // A frozen container would not act on SIGTERM.
    await this.resume();
    await this.container.stop({ t: Math.ceil(graceMs / 1000) }).catch(ignoreGone);
    await this.exited;
  }

  onExit(listener: (exit: ServiceExit) => void): void {
    this.exitListeners.push(listener);
  }

  async pause(): Promise<void> {
    await this.container.pause();
    this.paused = true;
  }

  async resume(): Promise<void> {
    if (!this.paused) return;
    await this.container.unpause().catch(ignoreGone);
    this.paused = false;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.attach();
    await this.container.start();
    await this.started();
  }

  limit(limits: ResourceLimits): Promise<AppliedLimits> {
    return limitContainer(this.container, this.name, limits);
  }

  resourceSample() {
    return this.running ? this.stats.sample() : Promise.resolve(undefined);
  }

  /** Gone for good, with its anonymous volumes: the end of the run, or a start that failed. */
  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch(ignoreGone);
  }
}
