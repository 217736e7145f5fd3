/**
 * Three unexpected exits within 5 minutes is a loop: a one-off crash is a target-crash, and even
 * Kubernetes' back-off (10 s doubling to a 5 min cap) restarts three times well inside this window.
 */
export const LOOP_EXITS = 3;
export const LOOP_WINDOW_MS = 5 * 60_000;

/** The exits (in time order) within one LOOP_WINDOW_MS that hold the most of them. */
export function densest<Exit extends { t: number }>(exits: readonly Exit[]): Exit[] {
  let best: Exit[] = [];
  exits.forEach((exit, index) => {
    const inWindow = exits.slice(index).filter((other) => other.t - exit.t <= LOOP_WINDOW_MS);
    if (inWindow.length > best.length) best = inWindow;
  });
  return best;
}
