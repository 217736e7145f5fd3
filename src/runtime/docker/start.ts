import type { Resources } from '../../core/cleanup.js';
import { SoakError } from '../../core/errors.js';
import { ContainerService } from './container.js';
import type { DockerEngine } from './engine.js';
import { engineMessage } from './images.js';
import { runLabels } from './labels.js';

export interface ContainerSpec {
  /** The service's name in the run. */
  name: string;
  image: string;
  /** Replaces the image's command; undefined keeps it. */
  cmd?: string[];
  env: Record<string, string>;
  /** Host paths mounted at the same path inside, so absolute paths (the probe preload, a project) mean the same on both sides. */
  mounts: { path: string; readOnly: boolean }[];
  workingDir?: string;
  user?: string;
  /**
   * Share the host's pid namespace: the probe inside then reports the pid the host sees, the one
   * soak samples from /proc and keys probe commands by, and a restarted process gets a new pid
   * as a local one does.
   */
  hostPid: boolean;
  /** The signal `docker stop` sends first (default the image's, SIGTERM for most) and how long it waits before SIGKILL (default 5 s). */
  stopSignal?: string;
  stopGraceMs?: number;
  port?: number;
  stdoutFile: string;
  stderrFile: string;
  runId: string;
  resources: Resources;
}

/**
 * Creates and starts one container the way soak runs every container: host networking (it is
 * reached on 127.0.0.1 and never on a bridge address), labelled with its owner and run, its
 * output appended to the service's log files, and removed by `resources` however the run ends.
 */
export async function startContainer(engine: DockerEngine, spec: ContainerSpec): Promise<ContainerService> {
  let service: ContainerService | undefined;
  const onCreated = async (id: string) => {
    service = new ContainerService(engine.docker, engine.docker.getContainer(id), spec.name, { stdout: spec.stdoutFile, stderr: spec.stderrFile }, spec.port, spec.stopGraceMs);
    const created = service;
    spec.resources.add(`remove container ${spec.name}`, async () => {
      await created.stop();
      await created.remove();
    });
    await created.attach();
  };

  class SoakContainer extends engine.tc.GenericContainer {
    constructor() {
      super(spec.image);
      if (spec.hostPid) this.hostConfig.PidMode = 'host';
      if (spec.stopSignal) this.createOpts.StopSignal = spec.stopSignal;
    }

    protected override async containerCreated(id: string): Promise<void> {
      await onCreated(id);
    }
  }

  const container = new SoakContainer()
    .withNetworkMode('host')
    .withEnvironment(spec.env)
    .withLabels(runLabels(spec.runId, spec.name))
    .withBindMounts(spec.mounts.map((mount) => ({ source: mount.path, target: mount.path, mode: mount.readOnly ? 'ro' : 'rw' })))
    // soak removes its containers itself (see engine.ts); exits must leave them for inspection and restart.
    .withAutoCleanup(false)
    .withAutoRemove(false);
  if (spec.cmd) container.withCommand(spec.cmd);
  if (spec.workingDir) container.withWorkingDir(spec.workingDir);
  if (spec.user) container.withUser(spec.user);

  try {
    await container.start();
  } catch (error) {
    if (service) await service.remove();
    throw new SoakError('runtime', `${spec.name}: cannot start a container from ${spec.image}: ${engineMessage(error)}`);
  }
  await service!.started();
  return service!;
}
