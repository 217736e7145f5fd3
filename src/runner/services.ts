import { join } from 'node:path';
import type { Resources } from '../core/cleanup.js';
import { SoakError } from '../core/errors.js';
import { assertPortFree, freePort, runtimes, waitUntilReady, type ServiceHandle } from '../runtime/index.js';
import { dependencyRuntimes } from '../runtime/dependencies/index.js';
import type { DependencyInstance } from '../runtime/types.js';
import type { DependencyConfig, ServiceConfig } from '../scenario/types.js';
import { RunFiles } from '../store/records.js';
import type { RunWriter } from '../store/writer.js';

export interface StartContext {
  writer: RunWriter;
  resources: Resources;
  runId: string;
  allowRemote: boolean;
  /** Extra env for every target: dependency URLs and the probe's hook. */
  env: (service: ServiceConfig) => Record<string, string>;
}

export async function startDependencies(dependencies: DependencyConfig[], context: Omit<StartContext, 'env' | 'allowRemote'>): Promise<DependencyInstance[]> {
  const started: DependencyInstance[] = [];
  for (const dependency of dependencies) {
    const instance = await dependencyRuntimes.get(dependency.runtime).get(dependency.kind).start({
      name: dependency.name,
      options: dependency.options,
      resources: context.resources,
      runId: context.runId,
      workDir: context.writer.dir,
    });
    context.writer.event({ t: Date.now(), type: 'service-start', service: instance.name, pid: instance.handle.pid, port: instance.port });
    started.push(instance);
  }
  return started;
}

async function choosePort(service: ServiceConfig): Promise<number | undefined> {
  if (service.port === false) return undefined;
  if (service.port === 'auto') return freePort();
  await assertPortFree(service.port, `${service.path}.port`);
  return service.port;
}

/** Starts one target and waits until it is ready; a target that exits or never listens is a clear error. */
export async function startTarget(service: ServiceConfig, context: StartContext): Promise<ServiceHandle> {
  const runtime = runtimes.get(service.runtime);
  const port = runtime.external ? undefined : await choosePort(service);
  const startedAt = Date.now();
  const handle = await runtime.start({
    name: service.name,
    options: service.options,
    env: { ...service.env, ...context.env(service) },
    port,
    stdoutFile: context.writer.file(RunFiles.stdout(service.name)),
    stderrFile: context.writer.file(RunFiles.stderr(service.name)),
    resources: context.resources,
    runId: context.runId,
    allowRemote: context.allowRemote,
  });
  context.writer.event({ t: Date.now(), type: 'service-start', service: service.name, pid: handle.pid, port, url: handle.url });
  if (port === undefined) return handle;

  const ready = await waitUntilReady({ port, path: service.ready.path, timeoutMs: service.ready.timeoutMs, gone: handle.exited });
  if (!ready) {
    const exit = await Promise.race([handle.exited, new Promise<undefined>((resolve) => setTimeout(resolve, 100))]);
    if (exit) {
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      const lastLine = exit.stderrTail.at(-1);
      throw new SoakError('runtime', `target "${service.name}" exited (${how}) before accepting connections${lastLine ? `: ${lastLine}` : ''} (see ${join(context.writer.dir, RunFiles.stderr(service.name))})`);
    }
    const what = service.ready.path ? `answer GET ${service.ready.path}` : `accept connections on 127.0.0.1:${port}`;
    throw new SoakError('runtime', `target "${service.name}" did not ${what} within ${service.ready.timeoutMs / 1000}s (does it listen on the PORT env var?)`);
  }
  context.writer.event({ t: Date.now(), type: 'service-ready', service: service.name, afterMs: Date.now() - startedAt });
  return handle;
}
