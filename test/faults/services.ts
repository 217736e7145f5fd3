import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '../../src/core/cleanup.js';
import { serviceProcesses } from '../../src/runtime/process-tree.js';
import type { FaultProxy } from '../../src/faults/proxy/index.js';
import type { FaultContext } from '../../src/faults/types.js';
import { freePort, waitUntilReady } from '../../src/runtime/index.js';
import { localRuntime } from '../../src/runtime/local.js';
import type { ServiceHandle } from '../../src/runtime/types.js';
import { waitFor } from '../helpers/processes.js';

export const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

let instances = 0;

/** Live processes started with this SOAK_RUN_ID. */
function processesOfRun(runId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`SOAK_RUN_ID=${runId}`)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids.filter((pid) => {
    try {
      return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Starts local services for a test and stops every one of them (and its temp dir) in `close`. */
export class TestServices {
  readonly resources = new Resources();
  readonly services = new Map<string, ServiceHandle>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'soak-faults-'));
  private readonly runId = `faults-test-${process.pid}-${++instances}`;

  async start(name: string, cmd: string, options: { env?: Record<string, string>; port?: boolean } = {}): Promise<ServiceHandle> {
    const port = options.port === false ? undefined : await freePort();
    const handle = await localRuntime.start({
      name,
      options: { cmd },
      env: options.env ?? {},
      port,
      stdoutFile: join(this.dir, `${name}.stdout.log`),
      stderrFile: join(this.dir, `${name}.stderr.log`),
      resources: this.resources,
      runId: this.runId,
      allowRemote: false,
    });
    if (port !== undefined && !(await waitUntilReady({ port, timeoutMs: 10_000, gone: handle.exited }))) {
      throw new Error(`${name} did not listen on ${port}`);
    }
    this.services.set(name, handle);
    return handle;
  }

  context(options: { proxies?: Map<string, FaultProxy>; signal?: AbortSignal; runId?: string } = {}): FaultContext {
    return {
      services: this.services,
      proxies: options.proxies ?? new Map(),
      signal: options.signal ?? new AbortController().signal,
      runId: options.runId ?? `test${process.pid}`,
    };
  }

  /** Stops everything and fails when any process of these services outlived that. */
  async close(): Promise<void> {
    await this.resources.close();
    rmSync(this.dir, { recursive: true, force: true });
    // The process guards exit just after their service; give them a moment.
    await waitFor(() => processesOfRun(this.runId).length === 0, 3000);
    const leftovers = processesOfRun(this.runId);
    if (leftovers.length > 0) throw new Error(`processes left running: ${leftovers.join(', ')}`);
  }
}

export async function answers(url: string, timeoutMs = 500): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.text();
    return response.ok;
  } catch {
    return false;
  }
}

/** Process state letter from /proc (R, S, T for stopped...). */
export function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

function groupCpuTicks(groupId: number): number {
  let ticks = 0;
  for (const pid of serviceProcesses(groupId)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Exited meanwhile.
    }
  }
  return ticks;
}

/** Cores the process group used over `ms` (clock ticks are 1/100 s on Linux). */
export async function groupCores(groupId: number, ms: number): Promise<number> {
  const before = groupCpuTicks(groupId);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (groupCpuTicks(groupId) - before) / 100 / ((performance.now() - started) / 1000);
}
