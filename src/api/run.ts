import { resolve } from 'node:path';
import type { ProfileTool } from '../profile/index.js';
import type { FinishedRun, LiveStatus } from '../runner/index.js';
import type { ScenarioInput } from '../scenario/schema.js';
import type { Scenario } from '../scenario/types.js';

export interface RunOptions {
  /** The run directory (default reports/<timestamp>-<name>, relative to the working directory, as `soak run`). */
  out?: string;
  /** Aborting it stops the load and the targets; what was gathered is still analysed and reported. */
  signal?: AbortSignal;
  /** Where targets and dependencies that name no runtime run: local (default) or docker. */
  runtime?: string;
  /** Allow load to non-loopback addresses. */
  allowRemote?: boolean;
  /** true: heap snapshots at 20 %, 60 % and 95 % of the load; false: none; unset: only once a memory leak shows. */
  heapSnapshots?: boolean;
  keepHeapSnapshots?: boolean;
  /** Run each Node target under Clinic.js (needs the optional peer clinic). */
  profile?: ProfileTool;
  /** Called about once a second with the live figures (what the CLI's progress line shows). */
  onStatus?: (status: LiveStatus) => void;
}

/** What a run leaves: `summary` is what it wrote to summary.json, `exitCode` what `soak run` would exit with. */
export type RunOutput = FinishedRun;

async function scenarioOf(scenario: string | ScenarioInput, runtime: string | undefined): Promise<Scenario> {
  const { loadScenarioFile, resolveScenario } = await import('../wiring/index.js');
  return typeof scenario === 'string' ? loadScenarioFile(scenario, { runtime }) : resolveScenario(scenario, undefined, { runtime });
}

/**
 * Runs a scenario (a file, or the object a scenario file exports) as `soak run` does, and resolves to its
 * summary once the report is written. A scenario or a service that cannot start rejects with a SoakError,
 * after what reached disk is reported.
 */
export async function run(scenario: string | ScenarioInput, options: RunOptions = {}): Promise<RunOutput> {
  const [{ finishRun, runScenario }, { profilableCommand }, { defaultRunDir }] = await Promise.all([
    import('../runner/index.js'),
    import('../profile/index.js'),
    import('../store/run-dir.js'),
  ]);
  const resolved = await scenarioOf(scenario, options.runtime);
  if (options.allowRemote) resolved.allowRemote = true;
  if (options.profile) for (const target of resolved.targets) profilableCommand(target, options.profile);
  const dir = resolve(options.out ?? defaultRunDir(resolved.name));
  let failure: unknown;
  try {
    await runScenario(resolved, {
      outDir: dir,
      signal: options.signal,
      onStatus: options.onStatus,
      heapSnapshots: options.heapSnapshots,
      keepHeapSnapshots: options.keepHeapSnapshots,
      profile: options.profile,
    });
  } catch (error) {
    failure = error;
  }
  const finished = await finishRun(dir).catch((error: unknown) => {
    failure ??= error;
    return undefined;
  });
  if (failure || !finished) throw failure;
  return finished;
}
