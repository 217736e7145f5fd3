import type { RunEvent, TargetHoldCause } from '../../store/records.js';

export type TargetHold = Extract<RunEvent, { type: 'target-held' }>;

/**
 * A hold this long shows in the target's latency and is left out of the latency and event-loop
 * judgements; shorter ones (soak's forced full GCs of a small heap, a few ms each and at most 0.5 %
 * of the time: runner/gc-cadence.ts) stay in, as any GC of the target's own does.
 */
export const JUDGED_HOLD_MS = 50;
/** After a hold the target works off what queued up while it stood still: the next second is soak's doing too. */
export const CATCH_UP_MS = 1000;
/** Holds kept one by one per service; past it they are only counted (forced GCs come at a bounded cadence, snapshots at most 3). */
export const MAX_HOLDS = 2048;

/** The times soak held each service still, as the target-held events say. */
export class TargetHolds {
  readonly byService = new Map<string, { holds: TargetHold[]; count: Record<TargetHoldCause, number>; totalMs: number }>();
  /** Holds that are left out of the judgements, of any service, in time order. */
  readonly judged: TargetHold[] = [];

  add(hold: TargetHold): void {
    let entry = this.byService.get(hold.service);
    if (!entry) this.byService.set(hold.service, (entry = { holds: [], count: { 'heap-snapshot': 0, 'full-gc': 0 }, totalMs: 0 }));
    entry.count[hold.cause] += 1;
    entry.totalMs += hold.ms;
    if (entry.holds.length < MAX_HOLDS) entry.holds.push(hold);
    if (hold.ms >= JUDGED_HOLD_MS && this.judged.length < MAX_HOLDS) this.judged.push(hold);
  }

  /** The judged hold of one of `services` (all when undefined) whose time, with its catch-up, meets [from, to]; `pid` narrows it to a process. */
  during(from: number, to: number, services?: ReadonlySet<string>, pid?: number): TargetHold | undefined {
    for (const hold of this.judged) {
      if (services && !services.has(hold.service)) continue;
      if (pid !== undefined && hold.pid !== pid) continue;
      if (hold.t <= to && hold.t + hold.ms + CATCH_UP_MS >= from) return hold;
    }
    return undefined;
  }
}
