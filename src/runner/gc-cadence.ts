import type { RunFacts } from '../analyze/index.js';
import type { ProbeCollector } from '../probe/index.js';
import type { RunEvent } from '../store/records.js';

/**
 * Readings of the heap after a major GC are what the memory detectors trust, and they must cover the
 * whole window. V8 runs few major GCs in a young heap that is still growing (it keeps raising its
 * limit), sometimes none in minutes, so soak forces one in a process whose last reading is older than
 * half a tick. Ticks come every plannedMs / 40 (about 40 readings a run: a trend test wants 30 buckets),
 * at least every 2 s and at most every 5 minutes.
 */
const READINGS_PER_RUN = 40;
const MIN_EVERY_MS = 2000;
const MAX_EVERY_MS = 5 * 60_000;
/**
 * A forced GC is a pause the target pays, so its cost is bounded: after one that took `ms`, the next
 * in that process waits at least ms / MAX_TIME_SHARE (0.5 % of the process's time at most). A 10 ms
 * collection of a small heap allows one every 2 s; a 1 s collection of a 1 GB heap one every 200 s.
 */
const MAX_TIME_SHARE = 0.005;
/** A full GC of a heap at soak's snapshot bound takes seconds; this only guards against a probe that never answers. */
const FULL_GC_TIMEOUT_MS = 60_000;

export const fullGcEvery = (plannedMs: number): number => Math.min(MAX_EVERY_MS, Math.max(MIN_EVERY_MS, plannedMs / READINGS_PER_RUN));

export interface GcCadenceContext {
  plannedMs: number;
  sampleIntervalMs: number;
  facts(): RunFacts;
  event(record: RunEvent): void;
}

/** Forces full GCs at a bounded cadence in every probed Node process that has not had one of its own; each is a target-held event. */
export class GcCadence {
  private timer: NodeJS.Timeout | undefined;
  private readonly notBefore = new Map<number, number>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly context: GcCadenceContext) {}

  start(collector: ProbeCollector): void {
    const every = fullGcEvery(this.context.plannedMs);
    this.timer = setInterval(() => this.tick(collector, every), every);
  }

  /** Stops the ticks and waits for a collection under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  private tick(collector: ProbeCollector, every: number): void {
    const now = Date.now();
    for (const service of this.context.facts().services.values()) {
      for (const process of service.nodeProcesses.values()) {
        const alive = process.lastT >= now - 3 * this.context.sampleIntervalMs;
        // A reading from within half a tick (the process's own GC, or the one forced last tick) will do.
        const recent = process.postGc.lastT >= now - every / 2; // NaN (no reading yet) is never recent
        if (!alive || recent || (this.notBefore.get(process.pid) ?? 0) > now) continue;
        this.queue = this.queue.then(() => this.collect(collector, service.name, process.pid, every));
      }
    }
  }

  private async collect(collector: ProbeCollector, service: string, pid: number, every: number): Promise<void> {
    const t = Date.now();
    try {
      const reply = await collector.request(pid, { cmd: 'full-gc' }, FULL_GC_TIMEOUT_MS);
      if (!reply.ok) throw new Error(reply.error ?? 'the probe refused');
      const ms = typeof reply.ms === 'number' ? reply.ms : Date.now() - t;
      this.notBefore.set(pid, t + ms / MAX_TIME_SHARE);
      this.context.event({ t, type: 'target-held', service, pid, cause: 'full-gc', ms });
    } catch (error) {
      this.notBefore.set(pid, t + 10 * every);
      this.context.event({ t, type: 'note', message: `a full GC of ${service} (pid ${pid}) could not be forced: ${(error as Error).message}` });
    }
  }
}
