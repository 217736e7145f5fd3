import { describe, expect, it } from 'vitest';
import { IntervalRecorder } from '../../src/load/recorder.js';
import type { BacklogFields } from '../../src/load/types.js';
import type { LoadInterval } from '../../src/store/records.js';
import { decodeInterval } from '../helpers/intervals.js';

function recorder(intervalMs = 60_000) {
  const intervals: (LoadInterval & BacklogFields)[] = [];
  const instance = new IntervalRecorder({
    stream: 'api',
    driver: 'http',
    intervalMs,
    onInterval: (record) => intervals.push(record),
    gauges: () => ({ phase: 'steady', inflight: 3, queued: 2, offeredRate: 50 }),
  });
  instance.start();
  return { instance, intervals };
}

describe('interval recorder', () => {
  it('summarises an interval in ms from microsecond histograms, with outcomes and errors by kind', () => {
    const { instance, intervals } = recorder();
    for (let i = 0; i < 97; i++) instance.completed('2xx', 1.5, false);
    instance.completed('5xx', 2, true);
    instance.completed('2xx', 100, false);
    instance.completed('2xx', 1000.25, false);
    instance.failed('ECONNREFUSED');
    instance.timedOut();
    for (let i = 0; i < 102; i++) instance.scheduled();
    for (let i = 0; i < 102; i++) instance.sent(i < 4);
    instance.stop();

    expect(intervals).toHaveLength(1);
    const [interval] = intervals;
    expect(interval).toMatchObject({ stream: 'api', driver: 'http', phase: 'steady', scheduled: 102, sent: 102, late: 4, completed: 100, errors: 2, timeouts: 1, inflight: 3, queued: 2, offeredRate: 50 });
    expect(interval!.outcomes).toEqual({ '2xx': 99, '5xx': 1, ECONNREFUSED: 1, timeout: 1 });
    expect(interval!.latency.count).toBe(100);
    expect(interval!.latency.p50).toBeCloseTo(1.5, 2);
    expect(interval!.latency.p99).toBeCloseTo(100, 0);
    expect(interval!.latency.max).toBeCloseTo(1000.25, 0);
    const histogram = decodeInterval(interval!.hdr);
    expect(histogram.totalCount).toBe(100);
    expect(histogram.maxValue).toBeGreaterThanOrEqual(1_000_000);
    histogram.destroy();
  });

  it('starts every interval from zero and flushes the partial last one on stop', async () => {
    const { instance, intervals } = recorder(100);
    instance.completed('2xx', 50, false);
    instance.completed('2xx', 50, false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    instance.completed('2xx', 5, false);
    instance.stop();
    instance.completed('2xx', 5, false);

    expect(intervals).toHaveLength(2);
    expect(intervals.map((interval) => interval.completed)).toEqual([2, 1]);
    expect(intervals[1]!.latency.max).toBeCloseTo(5, 1);
    expect(intervals[1]!.span).toBeLessThan(100);
    for (const interval of intervals) {
      const histogram = decodeInterval(interval.hdr);
      expect(histogram.totalCount).toBe(interval.completed);
      histogram.destroy();
    }
  });

  it('writes zeros, not gaps, for an interval with nothing in it', () => {
    const { instance, intervals } = recorder();
    instance.stop();
    expect(intervals[0]).toMatchObject({ completed: 0, latency: { count: 0, p99: 0 } });
    expect(decodeInterval(intervals[0]!.hdr).totalCount).toBe(0);
  });
});
