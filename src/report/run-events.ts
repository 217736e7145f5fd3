import type { RunData } from '../analyze/types.js';
import type { RunEvent } from '../store/records.js';

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

export function eventsOf<T extends RunEvent['type']>(run: RunData, type: T): EventOf<T>[] {
  return run.events.filter((event): event is EventOf<T> => event.type === type);
}

export interface FaultWindow {
  fault: string;
  kind: string;
  target: string;
  start: number;
  /** null: the run ended (or was killed) while the fault was still active. */
  end: number | null;
}

/** Pairs each fault-start with the next fault-end of the same fault on the same target. */
export function faultWindows(run: RunData): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  for (const event of run.events) {
    if (event.type !== 'fault-start' && event.type !== 'fault-end') continue;
    const key = `${event.fault}\u0000${event.target}`;
    if (event.type === 'fault-start') {
      const window: FaultWindow = { fault: event.fault, kind: event.kind, target: event.target, start: event.t, end: null };
      windows.push(window);
      open.set(key, window);
    } else {
      const window = open.get(key);
      if (window) {
        window.end = event.t;
        open.delete(key);
      }
    }
  }
  return windows;
}

export type EndReason = EventOf<'run-end'>['reason'] | 'unfinished';

/** 'unfinished' when there is no run-end record: soak itself was killed or the run is still going. */
export function runEnd(run: RunData): { reason: EndReason; message?: string } {
  const end = eventsOf(run, 'run-end').at(-1);
  if (!end) return { reason: 'unfinished' };
  return end.message ? { reason: end.reason, message: end.message } : { reason: end.reason };
}

/** Every service named anywhere in the run, in the order first seen. */
export function serviceNames(run: RunData): string[] {
  const names = new Set<string>();
  for (const event of run.events) if (event.type === 'service-start') names.add(event.service);
  for (const name of run.node.keys()) names.add(name);
  for (const name of run.os.keys()) names.add(name);
  return [...names];
}
