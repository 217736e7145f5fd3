// The corpus target's parameters, read once from env. A bad value ends the process with one line (exit 2).

const RETAIN_KINDS = ['none', 'heap', 'off-heap', 'timers', 'sockets'];
const SHAPES = ['linear', 'plateau', 'steps', 'sawtooth'];

function fail(message) {
  console.error(message);
  process.exit(2);
}

function number(name, fallback, { min = 0, max = Infinity } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) fail(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function oneOf(name, choices, fallback) {
  const value = process.env[name] ?? fallback;
  if (!choices.includes(value)) fail(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
  return value;
}

/**
 * RETAIN            what is kept on purpose: none, heap (strings), off-heap (Buffers), timers (intervals never
 *                   cleared), sockets (loopback TCP pairs never closed)
 * RETAIN_PER_HOUR   pace of the timer-driven retention: bytes per hour (heap, off-heap) or handles per hour
 * RETAIN_PER_REQUEST  retained on each GET /: bytes, or handles
 * RETAIN_SHAPE      linear; plateau (stops at PLATEAU_AT x PLAN_MS); steps (a jump every STEP_EVERY_MS, the
 *                   same average pace); sawtooth (grows for SAWTOOTH_PERIOD_MS, then all is let go)
 * CHUNK_BYTES       size of one retained piece (default: about one second's worth, within bounds per kind)
 * CONN_STATE_BYTES  heap held per open HTTP or WebSocket connection, let go when it closes
 * RESPONSE_DELAY_MS GET / answers after this long (a slow upstream), so a closed-model load holds connections
 * INDEX_MB          an in-memory index of this much heap, built before listening
 * RESULT_CACHE      entries of the bounded cache of search results (old-generation churn for the index)
 * WS                1: a WebSocket echo server on the same port
 * TRUTH_FILE        where the truth timeline is appended (ndjson); TRUTH_INTERVAL_MS between lines
 */
export function readParams() {
  const retain = oneOf('RETAIN', RETAIN_KINDS, 'none');
  const params = {
    retain,
    perHour: number('RETAIN_PER_HOUR', 0),
    perRequest: number('RETAIN_PER_REQUEST', 0),
    shape: oneOf('RETAIN_SHAPE', SHAPES, 'linear'),
    planMs: number('PLAN_MS', 0),
    plateauAt: number('PLATEAU_AT', 1, { max: 1 }),
    stepEveryMs: number('STEP_EVERY_MS', 60_000, { min: 1 }),
    sawtoothPeriodMs: number('SAWTOOTH_PERIOD_MS', 60_000, { min: 1 }),
    chunkBytes: number('CHUNK_BYTES', 0),
    connStateBytes: number('CONN_STATE_BYTES', 0),
    responseDelayMs: number('RESPONSE_DELAY_MS', 0),
    indexMB: number('INDEX_MB', 0),
    resultCache: number('RESULT_CACHE', 0),
    ws: process.env.WS === '1',
    truthFile: process.env.TRUTH_FILE || undefined,
    truthIntervalMs: number('TRUTH_INTERVAL_MS', 1000, { min: 50 }),
  };
  if (retain === 'none' && (params.perHour > 0 || params.perRequest > 0)) fail('RETAIN_PER_HOUR and RETAIN_PER_REQUEST need RETAIN set to what is retained');
  if (params.shape === 'plateau' && !(params.planMs > 0)) fail('RETAIN_SHAPE=plateau needs PLAN_MS, the planned run length it is a fraction of');
  return params;
}
