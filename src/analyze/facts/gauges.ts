import type { LoadInterval } from '../../store/records.js';
import { Series } from './series.js';

/**
 * What each load stream held open over time, one count per interval: WebSocket connections open for
 * a ws stream, the TCP connections the pool held open for an http stream (records without them: the
 * connections asked for in a closed model, requests in flight otherwise). The
 * memory and handle detectors judge growth against it (against-load.ts). One trend series per stream
 * (5 numbers a point, at most SERIES_CAPACITY points): about 160 KB a stream, whatever the run's length.
 */
export interface StreamGauge {
  stream: string;
  unit: string;
  held: Series;
}

export function heldBy(interval: LoadInterval): { count: number; unit: string } {
  if (interval.ws) return { count: interval.ws.open, unit: 'WebSocket held' };
  if (interval.sockets !== undefined) return { count: interval.sockets, unit: 'connection held' };
  if (interval.connections !== undefined) return { count: Math.max(interval.connections, interval.inflight), unit: 'connection held' };
  return { count: interval.inflight, unit: 'request in flight' };
}

export class LoadGauges {
  readonly streams = new Map<string, StreamGauge>();

  add(interval: LoadInterval): void {
    const { count, unit } = heldBy(interval);
    let gauge = this.streams.get(interval.stream);
    if (!gauge) this.streams.set(interval.stream, (gauge = { stream: interval.stream, unit, held: new Series() }));
    // Each is read when the interval closes: open connections at its end, not over it.
    gauge.held.add(interval.t, count);
  }
}
