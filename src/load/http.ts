import { Pool } from 'undici';
import { ClosedLoops } from './closed-model.js';
import { httpOptionsSchema, type HttpOptions } from './http-options.js';
import { HttpSender } from './http-sender.js';
import { OpenArrivals } from './open-model.js';
import { ArrivalSchedule, connectionsAt, peakConnections, PhaseWalker, rateAt, type PhaseSpan } from './phases.js';
import { IntervalRecorder, type Gauges } from './recorder.js';
import { requestPlan } from './request-plan.js';
import type { LoadContext, LoadDriver } from './types.js';

/** The scheduler wakes at least this often: to follow a closed-model ramp and to expire waiting arrivals. */
const MAX_TICK_MS = 5;
const DRAIN_POLL_MS = 10;
/** Closing sockets is quick; a stop must not hang on one that is not. */
const DESTROY_WAIT_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function poolConnections(options: HttpOptions, context: LoadContext): number {
  const open = context.phases.some((phase) => phase.rate !== undefined) ? options.maxInflight : 0;
  return Math.max(1, open, peakConnections(context.phases));
}

/**
 * HTTP load. Phases with a rate are an open model: arrivals on a fixed schedule, latency from each
 * arrival's intended send time, so a stalled target shows as slow requests rather than as fewer
 * requests (coordinated omission is not hidden). Phases with connections are a closed model: that
 * many loops, each sending when its previous request is settled. Both share one undici pool that
 * opens connections as they are needed, up to maxInflight or the most connections asked for.
 *
 * Hand-written undici loops rather than autocannon for the closed model too: autocannon cannot change
 * its connection count mid-run, and one sender for both models keeps outcomes and intervals identical.
 */
async function runHttp(options: HttpOptions, context: LoadContext): Promise<void> {
  const { signal } = context;
  if (signal.aborted) return;
  const base = new URL(context.baseUrl);
  const pool = new Pool(base.origin, { connections: poolConnections(options, context), pipelining: 1, connect: { timeout: options.timeout } });
  const walker = new PhaseWalker(context.phases, context.onPhase);
  const schedule = new ArrivalSchedule(context.phases);
  const startedAt = performance.now();
  let current: PhaseSpan = walker.spans[0]!;

  const recorder = new IntervalRecorder({
    stream: context.stream,
    driver: 'http',
    intervalMs: context.intervalMs,
    onInterval: context.onInterval,
    endpoints: options.requests.map((request) => request.name),
    gauges: (spanMs): Gauges => ({
      phase: current.phase.name,
      inflight: sender.inflight,
      queued: arrivals.queued,
      // At the interval's midpoint a linear ramp's rate is its mean over the interval.
      offeredRate: rateAt(current, performance.now() - startedAt - spanMs / 2),
      connections: current.phase.connections === undefined ? undefined : loops.target,
      // The connections the pool really holds open (it opens one per request in flight, and keeps them alive).
      sockets: pool.stats.connected,
    }),
  });
  const sender = new HttpSender(pool, requestPlan(options.requests, base.pathname), recorder, options.timeout);
  const arrivals = new OpenArrivals(sender, recorder, options.maxInflight, options.timeout);
  const loops = new ClosedLoops(sender);

  /** Resolves when every phase is over (its last arrivals sent) or on abort. */
  const drive = () =>
    new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const stop = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', stop);
        resolve();
      };
      const tick = () => {
        const now = performance.now();
        const elapsed = now - startedAt;
        const span = walker.at(elapsed);
        for (let offset = schedule.peek(); offset !== undefined && offset <= elapsed; offset = schedule.peek()) {
          schedule.advance();
          arrivals.arrive(startedAt + offset);
        }
        arrivals.expire(now);
        if (!span) return stop();
        current = span;
        loops.setTarget(connectionsAt(span, elapsed) ?? 0);
        const nextEvent = Math.min(schedule.peek() ?? Infinity, span.endMs);
        timer = setTimeout(tick, Math.min(MAX_TICK_MS, Math.max(0, nextEvent - elapsed)));
      };
      signal.addEventListener('abort', stop, { once: true });
      tick();
    });

  /**
   * Lets the requests still in flight or waiting finish. By the deadline every one of them was meant
   * to be sent at least a timeout ago, so those left have timed out from the client's point of view.
   */
  const drain = async () => {
    const deadline = performance.now() + options.timeout;
    while (!signal.aborted && (sender.inflight > 0 || arrivals.queued > 0)) {
      const now = performance.now();
      arrivals.expire(now);
      if (now >= deadline) {
        sender.timeOutInflight();
        return;
      }
      await sleep(DRAIN_POLL_MS);
    }
  };

  recorder.start();
  try {
    await drive();
    loops.setTarget(0);
    await drain();
  } finally {
    sender.close();
    recorder.stop();
    await Promise.race([pool.destroy(), new Promise((resolve) => setTimeout(resolve, DESTROY_WAIT_MS).unref())]);
  }
}

export const httpDriver: LoadDriver<HttpOptions> = {
  kind: 'http',
  schema: httpOptionsSchema,
  run: runHttp,
};
