import type { z } from 'zod';
import { faultKinds } from '../faults/index.js';
import { defaultThreads, loadDrivers } from '../load/index.js';
import { dependencyRuntimes } from '../runtime/dependencies/index.js';
import { runtimes } from '../runtime/index.js';
import { loadEngines } from '../distributed/engines/index.js';
import { formatDuration } from '../core/duration.js';
import { DURATION_CAP_MESSAGE, MAX_DURATION_MS } from '../core/limits.js';
import { parseOrThrow, ScenarioError } from '../scenario/errors.js';
import { phaseSchema, scenarioSchema, type ScenarioParsed } from '../scenario/schema.js';
import type { CheckConfig, FaultConfig, Phase, Scenario, ServiceConfig } from '../scenario/types.js';

const commonServiceFields = ['name', 'runtime', 'env', 'port', 'ready', 'probe'];
const commonStreamFields = ['kind', 'name', 'target', 'phases', 'workers', 'processes', 'engine'];
const commonFaultFields = ['kind', 'name', 'at'];
const commonDependencyFields = ['kind', 'name', 'runtime'];

/** What the command line may change in a scenario before it is validated. */
export interface ScenarioOverrides {
  /** Where targets and dependencies that name no runtime run (`soak run --runtime docker`). */
  runtime?: string;
  /** Driver threads of every load stream (`soak run --workers 2`). */
  workers?: number;
  /** soak worker processes of every load stream (`soak run --processes 2`). */
  processes?: number;
  /** The engine that places them (`soak run --engine swarm`). */
  engine?: string;
}

function without(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function resolveServices(parsed: ScenarioParsed, defaultRuntime: string, file?: string): ServiceConfig[] {
  const list = parsed.targets ?? [parsed.target!];
  const prefix = parsed.targets ? 'targets' : 'target';
  const seen = new Set<string>();
  return list.map((service, index) => {
    const where = parsed.targets ? `${prefix}[${index}]` : prefix;
    if (seen.has(service.name)) throw new ScenarioError(`${where}.name`, `"${service.name}" is used twice`, file);
    seen.add(service.name);
    const runtimeName = service.runtime ?? defaultRuntime;
    const runtime = runtimes.get(runtimeName);
    const options = parseOrThrow(runtime.schema, without(service, commonServiceFields), `${where}.`, file);
    return {
      name: service.name,
      path: where,
      runtime: runtimeName,
      options,
      env: service.env,
      port: service.port,
      ready: { path: service.ready.path, timeoutMs: service.ready.timeout },
      probe: service.probe,
    };
  });
}

function resolvePhases(phases: z.output<typeof phaseSchema>[]): Phase[] {
  return phases.map((phase, index) => ({
    name: phase.name ?? `${phase.kind}-${index + 1}`,
    kind: phase.kind,
    durationMs: phase.duration,
    rate: phase.rate,
    connections: phase.connections,
  }));
}

/**
 * A fault acts on a service of this scenario (a network fault on a dependency, through its proxy)
 * and begins before the run ends: checked on load, not minutes into the run, or never.
 */
function checkFault(fault: FaultConfig, where: string, context: { services: { targets: string[]; dependencies: string[] }; plannedMs: number; file?: string }): void {
  const kind = faultKinds.get(fault.kind);
  const { target } = kind.plan(fault.options);
  const { targets, dependencies } = context.services;
  const allowed = kind.network ? dependencies : [...targets, ...dependencies];
  if (!allowed.includes(target)) {
    const what = kind.network ? 'network faults act on a dependency' : 'no service of that name';
    const known = allowed.length > 0 ? `known: ${allowed.join(', ')}` : 'the scenario has no dependencies';
    throw new ScenarioError(`${where}.target`, `"${target}": ${what} (${known})`, context.file);
  }
  if (fault.atMs >= context.plannedMs) {
    throw new ScenarioError(`${where}.at`, `${formatDuration(fault.atMs)} is past the end of the run (${formatDuration(context.plannedMs)}): the fault would never begin`, context.file);
  }
}

/** Validates a scenario object (as exported by a scenario file or built from CLI flags) into a Scenario. */
export function resolveScenario(input: unknown, file?: string, overrides: ScenarioOverrides = {}): Scenario {
  const parsed = parseOrThrow(scenarioSchema, input, '', file);
  const defaultRuntime = overrides.runtime ?? parsed.runtime ?? 'local';
  const targets = resolveServices(parsed, defaultRuntime, file);
  const targetNames = new Set(targets.map((target) => target.name));

  const streams = Array.isArray(parsed.load) ? parsed.load : [parsed.load];
  const load = streams.map((stream, index) => {
    const where = Array.isArray(parsed.load) ? `load[${index}]` : 'load';
    const driver = loadDrivers.get(stream.kind);
    const target = stream.target ?? targets[0]!.name;
    if (!targetNames.has(target)) throw new ScenarioError(`${where}.target`, `no target named "${target}"`, file);
    const phases = resolvePhases(stream.phases);
    const lengthMs = phases.reduce((sum, phase) => sum + phase.durationMs, 0);
    if (lengthMs > MAX_DURATION_MS) throw new ScenarioError(`${where}.phases`, `they add up to ${formatDuration(lengthMs)}; ${DURATION_CAP_MESSAGE}`, file);
    const options = parseOrThrow(driver.schema, without(stream, commonStreamFields), `${where}.`, file);
    const processes = overrides.processes ?? stream.processes ?? 1;
    const engine = overrides.engine ?? stream.engine ?? (processes > 1 ? 'local' : undefined);
    if (engine !== undefined && !loadEngines.has(engine)) throw new ScenarioError(`${where}.engine`, `unknown load engine "${engine}" (known: ${loadEngines.names().join(', ')})`, file);
    const workers = overrides.workers ?? stream.workers ?? defaultThreads(driver.demand(options, phases) / processes);
    return {
      kind: stream.kind,
      name: stream.name ?? (streams.length > 1 ? `${stream.kind}-${index + 1}` : stream.kind),
      target,
      phases,
      workers,
      engine,
      processes,
      options,
    };
  });

  const dependencies = parsed.dependencies.map((dependency, index) => {
    const runtime = dependency.runtime ?? defaultRuntime;
    const kind = dependencyRuntimes.get(runtime).get(dependency.kind);
    return {
      kind: dependency.kind,
      name: dependency.name ?? dependency.kind,
      runtime,
      options: parseOrThrow(kind.schema, without(dependency, commonDependencyFields), `dependencies[${index}].`, file),
    };
  });

  const plannedMs = Math.max(...load.map((stream) => stream.phases.reduce((sum, phase) => sum + phase.durationMs, 0)));
  const services = { targets: [...targetNames], dependencies: dependencies.map((dependency) => dependency.name) };
  const faults = parsed.faults.map((fault, index) => {
    const kind = faultKinds.get(fault.kind);
    const resolved = {
      kind: fault.kind,
      name: fault.name ?? `${fault.kind}-${index + 1}`,
      atMs: fault.at,
      options: parseOrThrow(kind.schema, without(fault, commonFaultFields), `faults[${index}].`, file),
    };
    checkFault(resolved, `faults[${index}]`, { services, plannedMs, file });
    return resolved;
  });

  return {
    name: parsed.name,
    description: parsed.description,
    file,
    targets,
    dependencies,
    load,
    budgets: parsed.budgets,
    analysis: parsed.analysis,
    sampleIntervalMs: parsed.sampleInterval,
    faults,
    checks: parsed.checks as CheckConfig[],
    allowRemote: parsed.allowRemote,
    plannedMs,
  };
}
