import type { RunFacts } from '../../src/analyze/index.js';
import type { LoadInterval, NodeProbeSample } from '../../src/store/records.js';
import { encodeLatencies, gaussian, judged, loadInterval, makeRun, MB, nodeSample, ticks } from './run-builder.js';

export interface LoadShape {
  seed: number;
  /** Typical latency of the stream, ms; every request of a second is drawn around it. */
  latencyMs: number;
  /** Relative spread of the latencies. */
  spread?: number;
  rate?: number;
  errorShare?: number;
  seconds?: number;
  /** Post-GC heap growth, MB/hour (0: flat). */
  heapMBPerHour?: number;
  /** Seconds of the run (1-based) whose requests all take this long, ms: a stall. */
  stall?: { seconds: number[]; latencyMs: number };
}

/** A 1 Hz run of one stream and one probed service whose figures are chosen by the test. */
export function shapedRun({ seed, latencyMs, spread = 0.1, rate = 200, errorShare = 0, seconds = 60, heapMBPerHour = 0, stall }: LoadShape): RunFacts {
  const noise = gaussian(seed, 1);
  const load: LoadInterval[] = ticks(1, seconds).map((t, index) => {
    const typical = stall?.seconds.includes(index + 1) ? stall.latencyMs : latencyMs;
    const latencies = Array.from({ length: 100 }, () => Math.max(0.1, typical * (1 + spread * noise())));
    const completed = Math.round(rate * (1 + 0.02 * noise()));
    const errors = Math.round(completed * errorShare);
    return loadInterval(t, { sent: completed + errors, scheduled: completed + errors, completed, errors, outcomes: { '2xx': completed, ...(errors ? { '5xx': errors } : {}) }, hdr: encodeLatencies(latencies) });
  });
  const node: NodeProbeSample[] = ticks(1, seconds).map((t, index) =>
    nodeSample(t, { postGcHeap: 30 * MB + (heapMBPerHour * MB * (index + 1)) / 3600 + 0.2 * MB * noise() }),
  );
  return judged(makeRun({ load, node, durationMs: seconds * 1000 }));
}
