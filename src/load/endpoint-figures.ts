import type { Histogram } from 'hdr-histogram-js';
import type { EndpointInterval } from '../store/records.js';
import { encodeRecorded, latencyHistogram, recordedSummary as latencySummary, recordAtLeast, recordLatency } from '../core/hdr.js';

interface Endpoint {
  name: string;
  histogram: Histogram;
  counts: { sent: number; completed: number; errors: number; timeouts: number; censored: number };
}

const zero = () => ({ sent: 0, completed: 0, errors: 0, timeouts: 0, censored: 0 });

/**
 * One interval's figures per endpoint, counted as IntervalRecorder counts the stream's: one histogram
 * per endpoint name, reset after each interval, so memory stays fixed however long the run.
 * Requests are told apart by the index of the spec they came from; specs sharing a name share figures.
 */
export class EndpointFigures {
  private readonly bySpec: Endpoint[];
  private readonly endpoints: Endpoint[] = [];

  constructor(specNames: readonly string[]) {
    const named = new Map<string, Endpoint>();
    this.bySpec = specNames.map((name) => {
      let endpoint = named.get(name);
      if (!endpoint) {
        endpoint = { name, histogram: latencyHistogram(), counts: zero() };
        named.set(name, endpoint);
        this.endpoints.push(endpoint);
      }
      return endpoint;
    });
  }

  sent(spec: number): void {
    this.bySpec[spec]!.counts.sent += 1;
  }

  completed(spec: number, latencyMs: number, isError: boolean): void {
    const endpoint = this.bySpec[spec]!;
    endpoint.counts.completed += 1;
    if (isError) endpoint.counts.errors += 1;
    recordLatency(endpoint.histogram, latencyMs);
  }

  failed(spec: number): void {
    this.bySpec[spec]!.counts.errors += 1;
  }

  /** `censoredAtMs`: the timeout, entered in the endpoint's histogram as the recorder does for the stream. */
  timedOut(spec: number, censoredAtMs?: number): void {
    const endpoint = this.bySpec[spec]!;
    endpoint.counts.timeouts += 1;
    if (censoredAtMs === undefined) return;
    endpoint.counts.censored += 1;
    recordAtLeast(endpoint.histogram, censoredAtMs);
  }

  /** The interval's figures by endpoint name; starts the next interval from zero. */
  flush(): Record<string, EndpointInterval> {
    const figures: Record<string, EndpointInterval> = {};
    for (const endpoint of this.endpoints) {
      figures[endpoint.name] = { ...endpoint.counts, latency: latencySummary(endpoint.histogram), hdr: encodeRecorded(endpoint.histogram) };
      endpoint.counts = zero();
      endpoint.histogram.reset();
    }
    return figures;
  }

  destroy(): void {
    for (const endpoint of this.endpoints) endpoint.histogram.destroy();
  }
}
