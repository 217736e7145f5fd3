import { completeness, type Completeness } from './completeness.js';
import type { RunData } from './types.js';

export type Verdict = 'pass' | 'fail' | 'incomplete';

export interface Judgement {
  verdict: Verdict;
  completeness: Completeness;
}

/**
 * The one verdict of a run, for `soak run`, `soak report` and `soak gate` alike. A run that ended
 * in an error could not be done: it fails. One cut short (interrupted, killed, its target never
 * ready) is incomplete unless `allowPartial` asks to judge it on what it has; one where nothing
 * got through is judged only on what failed (a target that crashed at once): nothing can pass it.
 */
export function judgeRun(run: RunData, failed: boolean, allowPartial = false): Judgement {
  const state = completeness(run);
  const ended = run.events.filter((event) => event.type === 'run-end').at(-1);
  return { verdict: verdictOf(ended?.reason === 'error', state, failed, allowPartial), completeness: state };
}

function verdictOf(errored: boolean, state: Completeness, failed: boolean, allowPartial: boolean): Verdict {
  if (errored) return 'fail';
  if (state.complete) return failed ? 'fail' : 'pass';
  if (state.cutShort && !allowPartial) return 'incomplete';
  if (failed) return 'fail';
  return state.served > 0 ? 'pass' : 'incomplete';
}
