import { formatDuration } from '../core/duration.js';
import type { RunData } from './types.js';

/** Why a run did not carry out its plan; the verdict never passes such a run by default. */
export type IncompleteReason = 'interrupted' | 'killed' | 'never-ready' | 'no-requests';

export type Completeness =
  | { complete: true }
  | {
      complete: false;
      reason: IncompleteReason;
      message: string;
      /** Stopped before its planned end (signal, kill, target never ready): `--allow-partial` may judge it on what it has. */
      cutShort: boolean;
      /** Requests completed and WebSocket connections opened: with none, there is nothing to judge. */
      served: number;
    };

/**
 * Whether the run did what its plan asked: it reached its end (a run-end record that is not an
 * interruption), the load started, and at least one request (or WebSocket connection) got through.
 * A run that ended in an error or was aborted on a broken budget is not judged here: it failed.
 */
export function completeness(run: RunData): Completeness {
  const end = run.events.filter((event) => event.type === 'run-end').at(-1);
  const served = run.load.reduce((sum, interval) => sum + interval.completed + (interval.ws?.opened ?? 0), 0);
  if (!end || end.reason === 'interrupted') {
    const into = `${formatDuration(Math.max(0, run.endT - run.startT))} into a planned ${formatDuration(run.meta.plannedMs)}`;
    const what = end ? `the run was interrupted ${into}` : `soak stopped ${into} without ending the run (killed, or still running)`;
    const loadStarted = run.events.some((event) => event.type === 'phase-start');
    if (!loadStarted) return { complete: false, reason: 'never-ready', message: `${what}, before the target was ready: no load was sent`, cutShort: true, served };
    return { complete: false, reason: end ? 'interrupted' : 'killed', message: what, cutShort: true, served };
  }
  if (end.reason === 'error' || end.reason === 'aborted') return { complete: true };
  if (served === 0) return { complete: false, reason: 'no-requests', message: 'no request completed', cutShort: false, served };
  return { complete: true };
}
