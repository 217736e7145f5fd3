import type { ServiceHandle } from '../runtime/types.js';
import type { ContainerSample } from '../store/records.js';

/**
 * Samples, beside the probe, what each service's runtime reports of it (a container's CPU and
 * memory from its engine). A slow engine skips a tick rather than piling requests up. Returns
 * the stop, after which no sample is delivered.
 */
export function sampleRuntimes(services: Map<string, ServiceHandle>, intervalMs: number, onSample: (sample: ContainerSample) => void): () => void {
  const sampled = [...services.entries()].filter(([, handle]) => handle.resourceSample);
  if (sampled.length === 0) return () => {};
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.all(
      sampled.map(async ([service, handle]) => {
        const sample = await handle.resourceSample!().catch(() => undefined);
        if (sample && !stopped) onSample({ ...sample, service });
      }),
    ).finally(() => (busy = false));
  }, intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
