import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ExitCode, signalExitCode, SoakError } from '../../core/errors.js';
import { profilableCommand, profileTools, type ProfileTool } from '../../profile/index.js';
import type { FinishedRun } from '../../runner/index.js';
import type { Scenario } from '../../scenario/types.js';
import { resolveAdhoc, type AdhocFlags } from '../adhoc.js';
import { claimRunDir, defaultRunDir, type RunDirClaim } from '../../store/run-dir.js';
import { dashboardOptions, dashboardWanted } from '../dashboard-options.js';
import { printFinished } from '../print.js';

interface RunFlags extends Partial<AdhocFlags> {
  out?: string;
  runtime?: string;
  allowRemote?: boolean;
  progress: boolean;
  heapSnapshots?: boolean;
  keepHeapSnapshots?: boolean;
  profile?: ProfileTool;
  allowPartial?: boolean;
  force?: boolean;
  recordEnv?: boolean;
  dashboard?: string | boolean;
  dashboardHost?: string;
  workers?: string;
  processes?: string;
  engine?: string;
  listen?: string;
  advertise?: string;
  workerImage?: string;
  dryRun?: boolean;
}

function countFlag(flag: string, text: string | undefined, most: number): number | undefined {
  if (text === undefined) return undefined;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > most) throw new SoakError('usage', `${flag}: expected a whole number from 1 to ${most}, got "${text}"`);
  return count;
}

async function scenarioFrom(file: string | undefined, flags: RunFlags): Promise<Scenario> {
  if (file && flags.cmd) throw new SoakError('usage', 'give a scenario file or --cmd, not both');
  if (!file && !flags.cmd) throw new SoakError('usage', 'give a scenario file (soak run scenarios/quickstart.ts) or --cmd "node server.js"');
  const { loadScenarioFile } = await import('../../wiring/index.js');
  const overrides = { runtime: flags.runtime, workers: countFlag('--workers', flags.workers, 256), processes: countFlag('--processes', flags.processes, 1024), engine: flags.engine };
  const scenario = file ? await loadScenarioFile(file, overrides) : await resolveAdhoc(flags as AdhocFlags, overrides);
  if (flags.allowRemote) scenario.allowRemote = true;
  return scenario;
}

/**
 * Ctrl-C (or SIGTERM, what CI runners send on a job timeout) once: stop the load, stop the
 * targets, write the report of what was gathered. Twice: leave at once (the process guards still
 * stop the targets). Either way soak exits as a process that signal ended: 128 + its number.
 */
function interruptController(): { signal: AbortSignal; received(): NodeJS.Signals | undefined; dispose(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received === undefined) {
      received = signal;
      process.stderr.write(`\ninterrupted (${signal}): stopping the load and the targets, then writing the report (Ctrl-C again to quit now)\n`);
      controller.abort();
    } else {
      process.exit(signalExitCode(signal));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** An interrupted run left unjudged exits as its signal would have ended soak; any other run by its verdict. */
function exitCodeOf(finished: FinishedRun | undefined, interruptedBy: NodeJS.Signals | undefined): number {
  if (!finished) return ExitCode.fail;
  if (interruptedBy && finished.summary.verdict === 'incomplete') return signalExitCode(interruptedBy);
  return finished.exitCode;
}

/** The live report and metrics of the run, served from its records by a thread of its own, when wanted. */
async function startDashboardOf(dir: string, flags: RunFlags): Promise<{ close(): Promise<void> } | undefined> {
  if (!dashboardWanted(flags.dashboard, flags.dashboardHost)) return undefined;
  const options = dashboardOptions(typeof flags.dashboard === 'string' ? flags.dashboard : undefined, flags.dashboardHost, '--dashboard');
  const { startDashboard } = await import('../../live/index.js');
  const dashboard = await startDashboard(dir, options, (message) => process.stderr.write(`\nsoak: ${message}\n`));
  process.stderr.write(`soak: live report ${dashboard.url} (Prometheus: ${dashboard.metricsUrl})\n`);
  return dashboard;
}

const coordinationOf = (flags: RunFlags) => ({ listen: flags.listen, advertise: flags.advertise, image: flags.workerImage });

/** soak run --dry-run: what each stream's engine would start, printed instead of a run. */
async function printWorkers(scenario: Scenario, flags: RunFlags): Promise<void> {
  const { renderWorkers } = await import('../../distributed/index.js');
  const rendered = renderWorkers(scenario, coordinationOf(flags));
  if (!rendered) throw new SoakError('usage', '--dry-run: no load stream runs on an engine (give --engine or --processes)');
  process.stdout.write(`${rendered}\n`);
}

/** Runs the scenario into its claimed directory, then analyses and reports whatever reached disk. */
async function runAndReport(scenario: Scenario, dir: string, claim: RunDirClaim, flags: RunFlags): Promise<void> {
  const dashboard = await startDashboardOf(dir, flags);
  try {
    await runAndFinish(scenario, dir, claim, flags);
  } finally {
    await dashboard?.close();
  }
}

async function runAndFinish(scenario: Scenario, dir: string, claim: RunDirClaim, flags: RunFlags): Promise<void> {
  const { finishRun, ProgressPrinter, runScenario } = await import('../../runner/index.js');
  const progress = new ProgressPrinter(process.stderr);
  const interrupt = interruptController();
  process.stderr.write(`soak: running "${scenario.name}" for ${Math.round(scenario.plannedMs / 1000)}s, writing to ${dir}\n`);
  let failure: unknown;
  try {
    await runScenario(scenario, {
      outDir: dir,
      signal: interrupt.signal,
      onStatus: flags.progress ? (status) => progress.update(status) : undefined,
      heapSnapshots: flags.heapSnapshots,
      keepHeapSnapshots: flags.keepHeapSnapshots,
      profile: flags.profile,
      coordination: coordinationOf(flags),
      claim,
      recordEnv: flags.recordEnv,
    });
  } catch (error) {
    failure = error;
  } finally {
    progress.done();
    interrupt.dispose();
  }
  // Whatever happened, what reached disk is analysed and reported; an analysis that fails says so, and the records stay.
  let analysisError: unknown;
  const finished = await finishRun(dir, { allowPartial: flags.allowPartial }).catch((error: unknown) => {
    analysisError = error;
    return undefined;
  });
  if (finished) printFinished(finished);
  // An error while stopping on a signal is news, but the signal decides the exit code.
  if (failure && !interrupt.received()) throw failure;
  if (failure) process.stderr.write(`soak: ${(failure as Error).message}\n`);
  if (analysisError) throw new SoakError('runtime', `the run's records are in ${dir}, but analysing them failed: ${(analysisError as Error).message ?? String(analysisError)}`, { cause: analysisError });
  process.exitCode = exitCodeOf(finished, interrupt.received());
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario file, or an ad-hoc one with --cmd')
    .argument('[scenario]', 'scenario file (.ts or .js)')
    .option('--cmd <command>', 'ad hoc: command that starts the target; it gets a free port as PORT')
    .option('--path <path>', 'ad hoc: request path', '/')
    .option('--rate <n>', 'ad hoc: open model, requests per second (arrival rate)')
    .option('--connections <n>', 'ad hoc: closed model, concurrent connections')
    .option('--duration <d>', 'ad hoc: how long, e.g. 90s, 10m, 8h', '30s')
    .option('--ready <path>', 'ad hoc: HTTP path that answers once the target is ready')
    .option('--ready-timeout <d>', 'ad hoc: how long the target may take to get ready (default 30s)')
    .option('--name <name>', 'ad hoc: run name')
    .option('--p99 <d>', 'ad hoc: p99 latency budget, e.g. 200ms')
    .option('--error-rate <fraction>', 'ad hoc: error-rate budget, e.g. 0.01')
    .option('--sample-interval <d>', 'ad hoc: how often the target is sampled, e.g. 500ms (default 1s)')
    .option('--warmup <d>', 'ad hoc: start of the run that trend detectors ignore, e.g. 10s')
    .option('--out <dir>', 'output directory (default reports/<timestamp>-<name>); one that already holds a run is refused')
    .option('--force', 'replace the run already in the --out directory')
    .option('--record-env', "write the targets' env values into meta.json (by default only their names: values may be secrets)")
    .option('--runtime <runtime>', 'where targets and dependencies that name no runtime run: local (default) or docker')
    .option('--workers <n>', 'driver threads per load stream, each sending its share (default: from the load and the cores, at most half of them)')
    .option('--processes <n>', 'soak worker processes per load stream, each sending its share on its own threads (more than 1: --engine local by default)')
    .option('--engine <engine>', 'where the worker processes run: local (this machine), swarm (a Docker Swarm service), kubernetes (an Indexed Job)')
    .option('--listen <host:port>', 'where the coordinator of workers and remote probes listens (default: loopback, any free port)')
    .option('--advertise <host:port>', 'the address workers connect to, when not the --listen one')
    .option('--worker-image <image>', 'the image swarm and kubernetes workers run (swarm: the node image, soak mounted at /soak; kubernetes: soak/worker)')
    .option('--dry-run', 'print what the engine would start (a command, a manifest) and exit')
    .option('--allow-remote', 'allow load to non-loopback addresses')
    .option('--no-progress', 'no progress line')
    .option('--dashboard [port]', 'serve the live report and Prometheus metrics on 127.0.0.1 (default: on a terminal outside CI, on a free port)')
    .option('--no-dashboard', 'no live report, even on a terminal')
    .option('--dashboard-host <address>', 'serve the dashboard on this address; any other than loopback needs a token (SOAK_DASHBOARD_TOKEN, else one is made up and printed)')
    .option('--heap-snapshots', 'heap snapshots of each Node target at 20%, 60% and 95% of the load, to name what leaks (default: only once a memory leak shows); each freezes the target while it is written')
    .option('--no-heap-snapshots', 'no heap snapshots, even when a memory leak shows')
    .addOption(new Option('--profile <tool>', 'run each Node target under Clinic.js: flame (CPU flame graph) or doctor (its diagnosis); the report links the result (needs npm install --save-dev clinic)').choices(profileTools))
    .option('--allow-partial', 'judge a run that was interrupted on what it gathered, instead of calling it incomplete (exit 3, or 130/143 for Ctrl-C/SIGTERM)')
    .option('--keep-heap-snapshots', 'keep the .heapsnapshot files in <run dir>/heap (to open in DevTools); they are deleted after analysis otherwise')
    .action(async (file: string | undefined, flags: RunFlags) => {
      const scenario = await scenarioFrom(file, flags);
      if (flags.dryRun) return printWorkers(scenario, flags);
      if (flags.profile) for (const target of scenario.targets) profilableCommand(target, flags.profile);
      const dir = resolve(flags.out ?? defaultRunDir(scenario.name));
      const existed = existsSync(dir);
      // Held until the report is written, so no other run can start in the directory meanwhile.
      const claim = claimRunDir(dir, { force: flags.force });
      try {
        await runAndReport(scenario, dir, claim, flags);
      } finally {
        claim.release();
        // A run that could not start (its dashboard's port taken) leaves no empty directory behind.
        if (!existed && readdirSync(dir).length === 0) rmdirSync(dir);
      }
    });
}
