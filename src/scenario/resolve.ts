import type { z } from 'zod';
import { faultKinds } from '../faults/index.js';
import { assertSchedulableRates, defaultThreads, loadDrivers } from '../load/index.js';
import { dependencyRuntimes } from '../runtime/dependencies/index.js';
import { runtimes } from '../runtime/index.js';
import type { Phase } from '../load/types.js';
import { SoakError } from '../core/errors.js';
import { loadEngines } from '../distributed/engines/index.js';
import { parseOrThrow } from './errors.js';
import { phaseSchema, scenarioSchema, type ScenarioParsed } from './schema.js';
import type { CheckConfig, Scenario, ServiceConfig } from './types.js';

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
    if (seen.has(service.name)) throw new SoakError('scenario', `${where}.name: "${service.name}" is used twice`);
    seen.add(service.name);
    const runtimeName = service.runtime ?? defaultRuntime;
    const runtime = runtimes.get(runtimeName);
    const options = parseOrThrow(runtime.schema, without(service, commonServiceFields), `${where}.`, file);
    return {
      name: service.name,
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
    if (!targetNames.has(target)) throw new SoakError('scenario', `${where}.target: no target named "${target}"`);
    const phases = resolvePhases(stream.phases);
    const options = parseOrThrow(driver.schema, without(stream, commonStreamFields), `${where}.`, file);
    const processes = overrides.processes ?? stream.processes ?? 1;
    const engine = overrides.engine ?? stream.engine ?? (processes > 1 ? 'local' : undefined);
    if (engine !== undefined && !loadEngines.has(engine)) throw new SoakError('scenario', `${where}.engine: unknown load engine "${engine}" (known: ${loadEngines.names().join(', ')})`);
    const workers = overrides.workers ?? stream.workers ?? defaultThreads(driver.demand(options, phases) / processes);
    assertSchedulableRates(phases, workers * processes, where);
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

  const faults = parsed.faults.map((fault, index) => {
    const kind = faultKinds.get(fault.kind);
    return {
      kind: fault.kind,
      name: fault.name ?? `${fault.kind}-${index + 1}`,
      atMs: fault.at,
      options: parseOrThrow(kind.schema, without(fault, commonFaultFields), `faults[${index}].`, file),
    };
  });

  const plannedMs = Math.max(...load.map((stream) => stream.phases.reduce((sum, phase) => sum + phase.durationMs, 0)));
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
