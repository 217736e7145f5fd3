import { createHook } from 'node:async_hooks';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpDriver } from '../../src/load/http.js';

const server = createServer((_request, response) => response.end('ok'));
// No keep-alive timer per response: the timers counted are the driver's.
server.keepAliveTimeout = 0;

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('http driver: open-model scheduler', () => {
  it('sets one timer per arrival when arrivals are a fractional number of milliseconds apart', async () => {
    // 300 req/s: 3.33 ms apart. Node runs a timer of 3.33 ms after 3 whole ms, before the arrival is
    // due; a scheduler that asked for the fraction woke early and set a second timer for most arrivals.
    let timers = 0;
    const hook = createHook({ init: (_id, type) => void (type === 'Timeout' && (timers += 1)) }).enable();
    let sent = 0;
    try {
      await httpDriver.run(httpDriver.schema.parse({ path: '/' }), {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stream: 'timers',
        phases: [{ name: 'steady', kind: 'steady', durationMs: 1500, rate: 300 }],
        intervalMs: 60_000,
        signal: new AbortController().signal,
        onPhase: () => {},
        onInterval: (interval) => void (sent += interval.sent),
      });
    } finally {
      hook.disable();
    }
    expect(sent).toBe(450);
    // One per arrival, and some more: the interval clock, the deadline sweep, the drain, the close, and
    // the odd timer still early by the loop's clock (Node counts from the time the loop last read).
    // Asking for the fraction set about 1.6 per arrival.
    expect(timers).toBeLessThan(sent * 1.3);
  });
});
