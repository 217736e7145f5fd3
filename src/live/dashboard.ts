import { Worker } from 'node:worker_threads';
import { SoakError, type SoakErrorCode } from '../core/errors.js';
import { compiledAsset } from '../core/paths.js';
import type { Dashboard, DashboardOptions } from './server.js';

type WorkerAnswer = { url: string; metricsUrl: string } | { error: { soak: boolean; code?: SoakErrorCode; message: string } };

/** The dashboard's thread holds a few MB of facts; this bounds it whatever happens. */
const HEAP_LIMIT_MB = 256;

/**
 * Serves `dir` as `soak watch` does, from a worker thread (see worker.ts); resolves once it listens.
 * A dashboard that fails later says so in one line and the run goes on without it.
 */
export function startDashboard(dir: string, options: DashboardOptions, onFailure: (message: string) => void): Promise<Dashboard> {
  const worker = new Worker(compiledAsset('live/worker.js'), { workerData: { dir, options }, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return new Promise<Dashboard>((resolve, reject) => {
    let listening = false;
    worker.on('error', (error) => {
      if (listening) onFailure(`the dashboard stopped: ${error.message}`);
      else reject(error);
    });
    worker.once('message', (answer: WorkerAnswer) => {
      if ('error' in answer) {
        reject(answer.error.soak ? new SoakError(answer.error.code ?? 'usage', answer.error.message) : new Error(answer.error.message));
        return;
      }
      listening = true;
      resolve({
        url: answer.url,
        metricsUrl: answer.metricsUrl,
        async close() {
          if (!exited) worker.postMessage('close');
          await gone;
        },
      });
    });
  });
}
