import { formatDuration } from '../core/duration.js';
import type { RunFacts } from './facts/builder.js';

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
export function completeness(facts: RunFacts): Completeness {
  const { end } = facts;
  const served = facts.load.gotThrough;
  if (!end || end.reason === 'interrupted') {
    const into = `${formatDuration(Math.max(0, facts.endT - facts.startT))} into a planned ${formatDuration(facts.meta.plannedMs)}`;
    const what = end ? `the run was interrupted ${into}` : `soak stopped ${into} without ending the run (killed, or still running)`;
    if (facts.phases.length === 0) return { complete: false, reason: 'never-ready', message: `${what}, before the target was ready: no load was sent`, cutShort: true, served };
    return { complete: false, reason: end ? 'interrupted' : 'killed', message: what, cutShort: true, served };
  }
  if (end.reason === 'error' || end.reason === 'aborted') return { complete: true };
  if (served === 0) return { complete: false, reason: 'no-requests', message: 'no request completed', cutShort: false, served };
  return { complete: true };
}
