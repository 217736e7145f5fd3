import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { probeEnv, startProbeCollector, type ProbeCollector } from '../../src/probe/index.js';
import type { NodeProbeSample } from '../../src/store/records.js';

export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export interface ProbedProcess {
  child: ChildProcess;
  pid: number;
  samples: NodeProbeSample[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  intervalMs?: number;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** SOAK_PROBE to use instead of the collector's address (an unreachable one, say). */
  probeAddress?: string;
  /** false: start it with no preload at all. */
  probe?: boolean;
}

/** A collector plus the Node children it probes; samples are routed to their child by pid. */
export class ProbeHarness {
  private readonly byPid = new Map<number, NodeProbeSample[]>();
  /** Every sample, also from processes the children started. */
  readonly all: NodeProbeSample[] = [];
  private readonly children = new Set<ProbedProcess>();

  private constructor(readonly collector: ProbeCollector) {}

  static async start(): Promise<ProbeHarness> {
    let harness: ProbeHarness | undefined;
    const collector = await startProbeCollector((sample) => {
      harness!.all.push(sample);
      harness!.byPid.get(sample.pid)?.push(sample);
    });
    harness = new ProbeHarness(collector);
    return harness;
  }

  spawn(script: string, options: SpawnOptions = {}): ProbedProcess {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    delete env.NODE_OPTIONS;
    if (options.probe !== false) Object.assign(env, probeEnv(options.probeAddress ?? this.collector.address, 'target', options.intervalMs ?? 200));
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), fixture(script)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so whatever it starts is killed with it.
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    const samples: NodeProbeSample[] = [];
    this.byPid.set(child.pid!, samples);
    const probed: ProbedProcess = {
      child,
      pid: child.pid!,
      samples,
      stderr: () => stderr,
      exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    };
    this.children.add(probed);
    return probed;
  }

  async killChildren(): Promise<void> {
    await Promise.all(
      [...this.children].map(async (probed) => {
        try {
          process.kill(-probed.pid, 'SIGKILL');
        } catch {
          // The whole group is gone already.
        }
        await probed.exited;
      }),
    );
    this.children.clear();
  }

  async close(): Promise<void> {
    await this.killChildren();
    await this.collector.close();
  }
}

/** How the process ended, or 'still running' if it did not within `timeoutMs`. */
export function exitWithin(probed: ProbedProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  return Promise.race([probed.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), timeoutMs))]);
}

/** Resolves with the samples once `predicate` holds for them, or with what arrived by the deadline. */
export async function samplesUntil(probed: ProbedProcess, predicate: (samples: NodeProbeSample[]) => boolean, timeoutMs = 8000): Promise<NodeProbeSample[]> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(probed.samples) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return probed.samples;
}
