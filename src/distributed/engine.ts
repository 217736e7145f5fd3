import { Registry } from '../core/registry.js';

/** What an engine is asked to start: `count` soak workers that connect to `connect` with the run's token. */
export interface LaunchRequest {
  runId: string;
  stream: string;
  count: number;
  /** "host:port" the workers connect to: the coordinator as they can reach it. */
  connect: string;
  token: string;
  /** The image a containerised worker runs (swarm, kubernetes). */
  image: string;
}

/**
 * Where a stream's soak workers run: this machine's processes, a Docker Swarm service, a
 * Kubernetes Indexed Job. soak only asks the engine to place them; each connects out to the run.
 */
export interface LoadEngine {
  name: string;
  /** What would be started, as the engine's own input (a command line, a manifest), for --dry-run; the token shown as ${SOAK_TOKEN}. */
  render(request: LaunchRequest): string;
  /** Starts the workers; gives what removes everything it started. */
  launch(request: LaunchRequest): Promise<() => Promise<void>>;
  /** How long its workers may take to connect (a container engine pulls and schedules first). */
  connectTimeoutMs: number;
  /** The image its workers run unless --worker-image names one (containerised engines). */
  defaultImage?: string;
}

/** Engines by name: what `load.engine` and `--engine` name. */
export const loadEngines = new Registry<LoadEngine>('load engine');

/** A token placeholder for what is printed, so a dry run never shows the token. */
export const TOKEN_PLACEHOLDER = '${SOAK_TOKEN}';
