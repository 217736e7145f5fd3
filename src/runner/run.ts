import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { configFromScenario, liveBreach, RunFactsBuilder } from '../analyze/index.js';
import { startCoordination, type CoordinationOptions } from '../distributed/index.js';
import { Resources } from '../core/cleanup.js';
import { assertLoopbackUrl } from '../core/loopback.js';
import { proxiesFor, scheduleFaults } from '../faults/index.js';
import { runStream } from '../load/index.js';
import { probeEnv, ProcessTreeSampler, startProbeCollector } from '../probe/index.js';
import { profiledService, withoutProbeRequire, type ProfileTool } from '../profile/index.js';
import { runtimes, sweepLeftovers } from '../runtime/index.js';
import type { ServiceHandle } from '../runtime/types.js';
import type { Scenario } from '../scenario/types.js';
import { RECORDS_VERSION, RunFiles, type NodeProbeSample, type RunEvent, type RunMeta } from '../store/records.js';
import { RunWriter } from '../store/writer.js';
import type { RunDirClaim } from '../store/run-dir.js';
import { runChecks } from './checks.js';
import { GcCadence } from './gc-cadence.js';
import { HeapSnapshotter, heapSnapshotMode } from './heap-snapshots.js';
import { hostFacts } from './host.js';
import { watchFaultRequests } from './live-faults.js';
import { LiveTracker, type LiveStatus } from './live.js';
import { sampleRuntimes } from './runtime-sampling.js';
import { startDependencies, startTarget } from './services.js';
import { soakVersion } from './version.js';

export interface RunOptions {
  outDir: string;
  /** Aborting it ends the load early (Ctrl-C); the run still stops everything and is reported. */
  signal?: AbortSignal;
  onStatus?: (status: LiveStatus) => void;
  statusEveryMs?: number;
  /** true: heap snapshots of every Node target (--heap-snapshots); false: none; unset: the scenario's analysis.heapSnapshots, else only once a memory leak shows. */
  heapSnapshots?: boolean;
  /** Keep the .heapsnapshot files after their analysis (they are large). */
  keepHeapSnapshots?: boolean;
  /** Run each Node target under Clinic.js: a flame graph or Doctor's diagnosis, linked from the report. */
  profile?: ProfileTool;
  /** Where the coordinator of soak workers and remote probes listens (src/distributed). */
  coordination?: CoordinationOptions;
  /** outDir already claimed by the caller (who releases it); without one the run claims it for its own length. */
  claim?: RunDirClaim;
  /** Replace a run already in outDir (only when the run claims it itself). */
  force?: boolean;
  /** Write the targets' env values into meta.json; by default only their names are, the values redacted. */
  recordEnv?: boolean;
}

export interface RunResult {
  dir: string;
  endReason: 'completed' | 'interrupted' | 'error' | 'aborted';
}

/** How often abortOnFail judges the facts so far: every interval of load, as they arrive each second. */
const LIVE_JUDGE_EVERY_MS = 1000;

/**
 * Functions are not JSON: keep the scenario's data for meta.json and name what was a function.
 * Env values often hold passwords and tokens: only their names are kept unless asked for.
 */
function scenarioAsJson(scenario: Scenario, recordEnv: boolean): unknown {
  const targets = recordEnv ? scenario.targets : scenario.targets.map((target) => ({ ...target, env: Object.fromEntries(Object.keys(target.env).map((name) => [name, '[redacted]'])) }));
  return JSON.parse(JSON.stringify({ ...scenario, targets }, (_key, value: unknown) => (typeof value === 'function' ? '[function]' : value)));
}

/**
 * Runs a scenario: starts dependencies and targets, samples them, drives the load, runs the
 * checks, and stops everything. Analysis and the report are separate (see finish.ts), so the
 * same code builds a report from a run that was killed half-way.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const readyServices = scenario.targets.filter((target) => target.port !== false && !runtimes.get(target.runtime).external).map((target) => target.name);
  const meta: RunMeta = {
    recordsVersion: RECORDS_VERSION,
    soakVersion,
    name: scenario.name,
    scenarioFile: scenario.file,
    startedAt: Date.now(),
    plannedMs: scenario.plannedMs,
    sampleIntervalMs: scenario.sampleIntervalMs,
    scenario: scenarioAsJson(scenario, options.recordEnv ?? false),
    host: hostFacts(),
    readyServices,
  };
  // The run's facts, fed every record as it is written: what abortOnFail and the live leak check judge.
  const facts = new RunFactsBuilder({
    dir: options.outDir,
    meta,
    config: configFromScenario(scenario.budgets, scenario.analysis),
    readyServices,
  });
  const writer = new RunWriter(options.outDir, meta, { claim: options.claim, force: options.force, observe: (record) => facts.add(record) });
  const resources = new Resources();
  resources.add('close run files', () => writer.close());
  const live = new LiveTracker(scenario.plannedMs);
  const heapSnapshots = new HeapSnapshotter({
    mode: heapSnapshotMode(options.heapSnapshots, scenario),
    meta,
    dir: writer.dir,
    facts: () => facts.facts(),
    event: (record) => writer.event(record),
  });
  const loadAbort = new AbortController();
  const onOuterAbort = () => loadAbort.abort();
  let budgetBreach: string | undefined;
  if (scenario.budgets.abortOnFail) {
    const judge = setInterval(() => {
      const breach = liveBreach(facts.facts());
      if (!breach || budgetBreach) return;
      budgetBreach = `budget broken, run stopped early (abortOnFail): ${breach}`;
      loadAbort.abort();
    }, LIVE_JUDGE_EVERY_MS);
    resources.add('live budgets', () => clearInterval(judge));
  }
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const event = (record: RunEvent) => {
    writer.event(record);
    live.onEvent(record);
  };
  event({ t: meta.startedAt, type: 'run-start', name: scenario.name, plannedMs: scenario.plannedMs });

  let endReason: RunResult['endReason'] = 'completed';
  let endMessage: string | undefined;
  let dependencyEnv: Record<string, string> = {};
  try {
    const swept = await sweepLeftovers();
    if (swept.cgroups + swept.processes + swept.tempDirs > 0) {
      event({ t: Date.now(), type: 'note', message: `removed what killed soak runs left behind: ${swept.processes} processes, ${swept.cgroups} process cgroups, ${swept.tempDirs} data directories` });
    }
    const collector = await startProbeCollector((sample: NodeProbeSample) => {
      writer.probeSample(sample);
      live.onProbe(sample);
      heapSnapshots.onProbe(sample);
    });
    resources.add('probe collector', () => collector.close());
    const coordination = await startCoordination(scenario, options.coordination ?? {}, { runId, event, probes: collector, resources });

    const dependencies = await startDependencies(scenario.dependencies, { writer, resources, runId });
    // Dependencies a network fault acts on are reached through a fault proxy: targets get its port.
    const faultProxies = await proxiesFor(scenario.faults, dependencies);
    resources.add('fault proxies', () => faultProxies.close());
    dependencyEnv = Object.assign({}, ...dependencies.map((dependency) => dependency.env), faultProxies.env) as Record<string, string>;

    const services = new Map<string, ServiceHandle>();
    for (const dependency of dependencies) services.set(dependency.name, dependency.handle);
    for (const configured of scenario.targets) {
      const target = options.profile ? profiledService(configured, options.profile, options.outDir) : configured;
      const handle = await startTarget(target, {
        writer,
        resources,
        runId,
        allowRemote: scenario.allowRemote,
        env: (service) => {
          const env = {
            ...dependencyEnv,
            ...(service.probe ? probeEnv(collector.address, service.name, scenario.sampleIntervalMs, process.env.NODE_OPTIONS, join(options.outDir, RunFiles.childExits)) : {}),
          };
          // Under clinic the command line loads the probe, so clinic's own process is not probed too.
          return options.profile ? withoutProbeRequire(env) : env;
        },
      });
      services.set(target.name, handle);
      handle.onExit((exit) => {
        event({ t: Date.now(), type: 'service-exit', service: target.name, pid: handle.pid, ...exit });
        // A target that died unasked for leaves nothing to measure: end the load, keep what was seen.
        if (!exit.expected) loadAbort.abort();
      });
    }

    const osSamplers = [...services.entries()].filter(([, handle]) => handle.pid > 0).map(([name, handle]) => ({ name, handle, sampler: new ProcessTreeSampler(handle.pid) }));
    const osTimer = setInterval(() => {
      for (const entry of osSamplers) {
        if (entry.sampler.rootPid !== entry.handle.pid) entry.sampler = new ProcessTreeSampler(entry.handle.pid);
        const sample = entry.sampler.sample();
        if (sample) {
          const record = { ...sample, service: entry.name };
          writer.probeSample(record);
          live.onProbe(record);
        }
      }
    }, scenario.sampleIntervalMs);
    resources.add('os sampling', () => clearInterval(osTimer));
    resources.add('runtime sampling', sampleRuntimes(services, scenario.sampleIntervalMs, (sample) => writer.probeSample(sample)));

    const statusTimer = options.onStatus ? setInterval(() => options.onStatus!(live.status()), options.statusEveryMs ?? 1000) : undefined;
    if (statusTimer) resources.add('progress', () => clearInterval(statusTimer));

    const faults = scheduleFaults(scenario.faults, { services, proxies: faultProxies.proxies, signal: loadAbort.signal, runId }, event, Date.now());
    resources.add('end faults', () => faults.stop());
    const faultRequests = await watchFaultRequests(writer.dir, meta.startedAt, faults);
    resources.add('live fault requests', () => faultRequests.close());
    let faultError: unknown;
    faults.done.catch((error: unknown) => {
      faultError ??= error;
      loadAbort.abort();
    });

    heapSnapshots.start(collector, Date.now());
    resources.add('heap snapshots', () => heapSnapshots.stop());
    const gcCadence = new GcCadence({ plannedMs: scenario.plannedMs, sampleIntervalMs: scenario.sampleIntervalMs, facts: () => facts.facts(), event: (record) => writer.event(record) });
    gcCadence.start(collector);
    resources.add('forced full GCs', () => gcCadence.stop());
    await Promise.all(
      scenario.load.map(async (stream) => {
        const target = services.get(stream.target)!;
        const baseUrl = target.url ?? '';
        assertLoopbackUrl(baseUrl, scenario.allowRemote, `load "${stream.name}" target`);
        const group = await coordination.groupFor(stream, loadAbort.signal);
        return runStream(stream.kind, stream.options, {
          baseUrl,
          stream: stream.name,
          phases: stream.phases,
          intervalMs: 1000,
          signal: loadAbort.signal,
          onInterval: (interval) => {
            writer.loadInterval(interval);
            live.onLoad(interval);
          },
          onPhase: (phase) => {
            event({ t: Date.now(), type: 'phase-start', stream: stream.name, phase: phase.name, kind: phase.kind, durationMs: phase.durationMs });
          },
        }, stream.workers, group);
      }),
    );

    // Faults end (paused services resume, killed ones restart) before the checks read the data.
    await faultRequests.close();
    await faults.stop();
    if (faultError) throw faultError;
    if (budgetBreach) {
      endReason = 'aborted';
      endMessage = budgetBreach;
    } else if (options.signal?.aborted) endReason = 'interrupted';
    else await runChecks(scenario, services, dependencyEnv, event);
  } catch (error) {
    endReason = options.signal?.aborted ? 'interrupted' : 'error';
    endMessage = (error as Error).message;
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    writer.event({ t: Date.now(), type: 'run-end', reason: endReason, message: endMessage });
    await resources.close();
    await heapSnapshots.analyse(options.keepHeapSnapshots ?? false);
  }
  return { dir: options.outDir, endReason };
}
