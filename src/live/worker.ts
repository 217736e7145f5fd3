import { parentPort, workerData } from 'node:worker_threads';
import { isSoakError } from '../core/errors.js';
import { serveRunDir, type DashboardOptions } from './server.js';

/**
 * The dashboard of `soak run`, in a thread of its own: the analysis and rendering it does every few
 * seconds never hold up the event loop that drives the load. It reads the run's records from disk,
 * as `soak watch` does, and stops when told (or when soak exits: a worker dies with its process).
 */
const { dir, options } = workerData as { dir: string; options: DashboardOptions };
const port = parentPort!;

serveRunDir(dir, options).then(
  (dashboard) => {
    port.postMessage({ url: dashboard.url, metricsUrl: dashboard.metricsUrl });
    port.once('message', () => {
      void dashboard.close().then(() => port.close());
    });
  },
  (error: unknown) => {
    port.postMessage({ error: { soak: isSoakError(error), code: isSoakError(error) ? error.code : undefined, message: (error as Error).message } });
    port.close();
  },
);
