import type { Resources } from '../core/cleanup.js';
import type { WorkerGroup } from '../load/threads/host.js';
import type { ProbeCollector } from '../probe/index.js';
import type { LoadStreamConfig, Scenario } from '../scenario/types.js';
import type { RunEvent } from '../store/records.js';
import { formatAddress, parseAddress, reachable } from './address.js';
import { startCoordinator } from './coordinator.js';
import { TOKEN_PLACEHOLDER, type LaunchRequest, type LoadEngine } from './engine.js';
import { loadEngines } from './engines/index.js';
import { workerGroup } from './group.js';
import { runToken } from './token.js';

/** How a run reaches beyond its machine (soak run --listen, --advertise, --worker-image). */
export interface CoordinationOptions {
  /** Where the coordinator listens, "host:port" (default: loopback, any free port). */
  listen?: string;
  /** The address workers connect to, when not the one it listens on (a wildcard, NAT). */
  advertise?: string;
  /** The image containerised workers run. */
  image?: string;
}

export interface Coordination {
  /** The stream's soak workers when its engine places it elsewhere; undefined: it runs on this process's threads. */
  groupFor(stream: LoadStreamConfig, signal: AbortSignal): Promise<WorkerGroup | undefined>;
}

interface RunParts {
  runId: string;
  event(record: RunEvent): void;
  probes: ProbeCollector;
  resources: Resources;
}

const launchRequest = (engine: LoadEngine, stream: LoadStreamConfig, runId: string, connect: string, token: string, image?: string): LaunchRequest => ({
  runId,
  stream: stream.name,
  count: stream.processes,
  connect,
  token,
  image: image ?? engine.defaultImage ?? '',
});

/**
 * Starts the coordinator when the run needs one: a stream placed by an engine, or --listen (remote
 * probes). Its token is SOAK_TOKEN or a new one, given to the workers soak starts and written nowhere.
 */
export async function startCoordination(scenario: Scenario, options: CoordinationOptions, run: RunParts): Promise<Coordination> {
  if (options.listen === undefined && !scenario.load.some((stream) => stream.engine)) return { groupFor: async () => undefined };
  const listen = parseAddress(options.listen ?? '127.0.0.1', '--listen');
  const token = runToken();
  const coordinator = await startCoordinator({ ...listen, token, event: run.event, probes: run.probes });
  run.resources.add('coordinator', () => coordinator.close());
  const connect = options.advertise ?? formatAddress(reachable(parseAddress(coordinator.address, '--listen')));
  return {
    groupFor: async (stream, signal) => {
      if (!stream.engine) return undefined;
      const engine = loadEngines.get(stream.engine);
      return workerGroup(stream, {
        coordinator,
        engine,
        request: launchRequest(engine, stream, run.runId, connect, token, options.image),
        event: run.event,
        own: (label, cleanup) => run.resources.add(label, cleanup),
        signal,
      });
    },
  };
}

/** What each engine would start for the scenario's streams (soak run --dry-run): the token shown as ${SOAK_TOKEN}. */
export function renderWorkers(scenario: Scenario, options: CoordinationOptions): string {
  const connect = options.advertise ?? options.listen ?? '127.0.0.1:7070';
  return scenario.load
    .filter((stream) => stream.engine)
    .map((stream) => {
      const engine = loadEngines.get(stream.engine!);
      return engine.render(launchRequest(engine, stream, 'dry-run', connect, TOKEN_PLACEHOLDER, options.image));
    })
    .join('---\n');
}
