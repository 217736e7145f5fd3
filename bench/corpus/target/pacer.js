// Drives a retainer at a pace set in time, whatever the load: the amount owed at each moment follows
// the shape, and each tick takes whole pieces until what is held catches up, so timer jitter never
// changes the total.

const TICK_MS = 200;

/** The amount that should be held `elapsedMs` after the start, and the cycle it belongs to (sawtooth). */
export function shapeOf(params) {
  const perMs = params.perHour / 3_600_000;
  switch (params.shape) {
    case 'plateau': {
      const stopMs = params.plateauAt * params.planMs;
      return (elapsedMs) => ({ cycle: 0, amount: perMs * Math.min(elapsedMs, stopMs) });
    }
    case 'steps':
      return (elapsedMs) => ({ cycle: 0, amount: perMs * params.stepEveryMs * Math.floor(elapsedMs / params.stepEveryMs) });
    case 'sawtooth':
      return (elapsedMs) => ({ cycle: Math.floor(elapsedMs / params.sawtoothPeriodMs), amount: perMs * (elapsedMs % params.sawtoothPeriodMs) });
    default:
      return (elapsedMs) => ({ cycle: 0, amount: perMs * elapsedMs });
  }
}

/**
 * Size of one piece: about one second's worth of the pace, at least 1 KB (heap) or 16 KB (off-heap)
 * so that headers and wrappers stay a small share, at most 64 KB (heap: a regular heap object) or
 * 1 MB (off-heap). Handles come one at a time (sockets two: a pair).
 */
export function pieceOf(params) {
  if (params.retain === 'timers') return 1;
  if (params.retain === 'sockets') return 2;
  if (params.chunkBytes > 0) return params.chunkBytes;
  const perSecond = params.perHour / 3600;
  const [low, high] = params.retain === 'heap' ? [1024, 64 * 1024] : [16 * 1024, 1024 * 1024];
  return Math.round(Math.min(high, Math.max(low, perSecond)));
}

/**
 * Starts pacing `retainer`; returns what it did so far (paced amount, releases, when the shape last
 * changed course) and a stop function.
 */
export function startPacer(retainer, params, onCycle) {
  const shape = shapeOf(params);
  const piece = pieceOf(params);
  const startedAt = Date.now();
  const state = { startedAt, paced: 0, releases: 0, piece };
  let cycle = 0;
  const tick = () => {
    const { cycle: now, amount } = shape(Date.now() - startedAt);
    if (now !== cycle) {
      cycle = now;
      retainer.releaseAll();
      state.paced = 0;
      state.releases += 1;
      onCycle?.();
    }
    while (state.paced + piece <= amount + piece / 2) {
      retainer.add(piece);
      state.paced += piece;
    }
  };
  const timer = setInterval(tick, TICK_MS);
  return { state, stop: () => clearInterval(timer) };
}
