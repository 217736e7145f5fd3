import type { WorkerGroup } from '../load/threads/host.js';
import type { LoadStreamConfig } from '../scenario/types.js';
import type { RunEvent } from '../store/records.js';
import type { Coordinator } from './coordinator.js';
import type { LoadEngine, LaunchRequest } from './engine.js';
import { wallNow } from './protocol.js';
import { remoteWorker } from './remote-worker.js';
import { undeliveredLoad } from './undelivered.js';

export interface GroupContext {
  coordinator: Coordinator;
  engine: LoadEngine;
  request: LaunchRequest;
  event(record: RunEvent): void;
  /** Registers what removes the workers the engine started. */
  own(label: string, cleanup: () => Promise<void>): void;
  /** The run's load signal: waiting for workers ends with it. */
  signal: AbortSignal;
}

/**
 * A stream's soak workers: started by its engine, claimed as they connect, each driving
 * `stream.workers` threads. One that is lost is logged with what its share was still to send, from
 * the coordinator's start time of the stream to its planned end.
 */
export async function workerGroup(stream: LoadStreamConfig, context: GroupContext): Promise<WorkerGroup> {
  const { count } = context.request;
  context.own(`${context.engine.name} workers of "${stream.name}"`, await context.engine.launch(context.request));
  const peers = await context.coordinator.claimWorkers(count, context.engine.connectTimeoutMs, context.signal);
  let startedAt: number | undefined;
  return {
    count,
    threads: count * stream.workers,
    start(index) {
      const worker = remoteWorker(peers[index]!, stream.kind, stream.workers);
      return {
        ...worker,
        send(message) {
          if (message.type === 'start') startedAt ??= message.at;
          worker.send(message);
        },
      };
    },
    onLost(index, share, error) {
      const fromMs = startedAt === undefined ? 0 : wallNow() - startedAt;
      const undelivered = undeliveredLoad(stream.phases, share, fromMs);
      context.event({
        t: Date.now(),
        type: 'worker-lost',
        stream: stream.name,
        name: peers[index]!.name,
        reason: error.message,
        share: `${share.index + 1}/${share.count}`,
        undeliveredRequests: undelivered.requests,
        undeliveredConnectionSeconds: undelivered.connectionSeconds,
      });
    },
  };
}
