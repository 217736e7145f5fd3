import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSender } from '../../src/load/http-sender.js';
import { OpenArrivals } from '../../src/load/open-model.js';
import { IntervalRecorder } from '../../src/load/recorder.js';
import { requestPlan } from '../../src/load/request-plan.js';
import type { LoadInterval } from '../../src/store/records.js';

/** A server that never answers, so the one request allowed in flight stays there. */
const hanging = createServer(() => {});
let sender: HttpSender | undefined;

afterEach(async () => {
  // Closed at once: the paced close of the end of a run is not what these tests look at.
  await sender?.close(1000, AbortSignal.abort());
  sender = undefined;
  hanging.closeAllConnections();
  if (hanging.listening) await new Promise((resolve) => hanging.close(resolve));
});

describe('open-model arrivals', () => {
  it('counts arrivals that find the backlog full as "backlog" errors instead of dropping them', async () => {
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const intervals: LoadInterval[] = [];
    const recorder: IntervalRecorder = new IntervalRecorder({
      stream: 'http',
      driver: 'http',
      intervalMs: 60_000,
      onInterval: (record) => intervals.push(record),
      gauges: () => ({ phase: 'steady', inflight: sender!.inflight, queued: arrivals.queued }),
    });
    sender = new HttpSender(baseUrl, requestPlan([{ method: 'GET', path: '/', headers: {}, weight: 1, name: 'GET /' }], baseUrl), recorder, 10_000);
    const arrivals: OpenArrivals = new OpenArrivals(sender, recorder, 1, 10_000, 3);
    recorder.start();
    for (let i = 0; i < 10; i++) arrivals.arrive(performance.now());
    recorder.stop();

    expect(intervals[0]).toMatchObject({ scheduled: 10, sent: 7, errors: 6, inflight: 1, queued: 3, outcomes: { backlog: 6 } });
  });
});
