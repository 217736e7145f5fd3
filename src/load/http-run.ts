import { ClosedLoops } from './closed-model.js';
import type { HttpOptions } from './http-options.js';
import { HttpSender } from './http-sender.js';
import { OpenArrivals } from './open-model.js';
import { ArrivalSchedule, connectionsAt, nextStepMs, PhaseWalker, rateAt, type PhaseSpan } from './phases.js';
import { IntervalRecorder, type Gauges } from './recorder.js';
import { requestPlan } from './request-plan.js';
import { shareOf, wholeStream } from './share.js';
import type { LoadContext } from './types.js';

/** The scheduler sleeps until its next event (an arrival, a ramp step, a phase end, a waiting arrival's timeout), but never longer than this. */
const MAX_SLEEP_MS = 100;
const DRAIN_POLL_MS = 10;
/**
 * Keep-alive connections closed per second at the end, all threads together: as fast as a ws stream
 * opens its connections by default, so ending the load is no burst of closes on the target.
 */
const CLOSE_RATE = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * HTTP load. Phases with a rate are an open model: arrivals on a fixed schedule, latency from each
 * arrival's intended send time, so a stalled target shows as slow requests rather than as fewer
 * requests (coordinated omission is not hidden). Phases with connections are a closed model: that
 * many loops, each sending when its previous request is settled. Both share one pool of keep-alive
 * connections, opened as they are needed (see http1/).
 *
 * Hand-written loops rather than autocannon for the closed model too: autocannon cannot change its
 * connection count mid-run, and one sender for both models keeps outcomes and intervals identical.
 * With a share (several driver threads), this driver sends its share of the arrivals, loops and
 * maxInflight; the thread host adds the threads' intervals up.
 */
export async function runHttp(options: HttpOptions, context: LoadContext): Promise<void> {
  const { signal } = context;
  if (signal.aborted) return;
  const share = context.share ?? wholeStream;
  const walker = new PhaseWalker(context.phases, context.onPhase);
  const schedule = new ArrivalSchedule(context.phases, share);
  const startedAt = context.startAt ?? performance.now();
  let current: PhaseSpan = walker.spans[0]!;

  const recorder = new IntervalRecorder({
    stream: context.stream,
    driver: 'http',
    intervalMs: context.intervalMs,
    clock: context.clock,
    timeoutMs: options.timeout,
    onInterval: context.onInterval,
    endpoints: options.requests.map((request) => request.name),
    gauges: (spanMs): Gauges => {
      // At the interval's midpoint a linear ramp's rate is its mean over the interval.
      const rate = rateAt(current, performance.now() - startedAt - spanMs / 2);
      return {
        phase: current.phase.name,
        inflight: sender.inflight,
        queued: arrivals.queued,
        offeredRate: rate === undefined ? undefined : rate / share.count,
        connections: current.phase.connections === undefined ? undefined : loops.target,
        // The connections the pool really holds open (one per request in flight, kept alive after it).
        sockets: sender.connections,
      };
    },
  });
  const sender = new HttpSender(context.baseUrl, requestPlan(options.requests, context.baseUrl, share), recorder, options.timeout);
  const arrivals = new OpenArrivals(sender, recorder, Math.max(1, shareOf(options.maxInflight, share)), options.timeout);
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
        const connections = connectionsAt(span, elapsed);
        loops.setTarget(connections === undefined ? 0 : shareOf(connections, share));
        const nextEvent = Math.min(schedule.peek() ?? Infinity, span.endMs, nextStepMs(span, elapsed), arrivals.nextExpiry() - startedAt, elapsed + MAX_SLEEP_MS);
        // Whole milliseconds: Node runs a timer of 1.7 ms after 1 (timers count whole ms), before the
        // arrival is due, and the tick then only sets another; rounded up, one wake-up sends it.
        timer = setTimeout(tick, Math.ceil(Math.max(0, nextEvent - elapsed)));
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
    await sender.close(CLOSE_RATE / share.count, signal);
    recorder.stop();
  }
}
