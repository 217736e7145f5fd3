import type { NodeProbeSample, PoolSample } from '../../store/records.js';
import type { Detector, Finding, RunData } from '../types.js';
import { figure, offset, percent, plural, round } from '../words.js';
import { faultSpans, type FaultSpan } from './fault-impact.js';

/**
 * A pool is exhausted when callers queue for it for a while, not for a moment: 5 s without a break, or
 * in at least a fifth of the samples (and at least 5 of them) when the queue comes and goes.
 */
const SUSTAINED_MS = 5000;
const WAITING_SHARE = 0.2;
const MIN_WAITING_SAMPLES = 5;
/** An acquisition that waited 80 % of the pool's timeout was nearly an error. */
const NEAR_TIMEOUT_SHARE = 0.8;

interface Reading {
  t: number;
  pid: number;
  pool: PoolSample;
}

function readings(samples: NodeProbeSample[]): Map<string, Reading[]> {
  const pools = new Map<string, Reading[]>();
  for (const sample of samples) {
    for (const [name, pool] of Object.entries(sample.pools ?? {})) {
      const list = pools.get(name);
      const reading = { t: sample.t, pid: sample.pid, pool };
      if (list) list.push(reading);
      else pools.set(name, [reading]);
    }
  }
  return pools;
}

/** The longest run of consecutive readings with callers waiting; a missed sample or a new process breaks it. */
function longestWait(list: Reading[], intervalMs: number): { start: number; end: number; ms: number } | undefined {
  let best: { start: number; end: number; ms: number } | undefined;
  let start: Reading | undefined;
  let previous: Reading | undefined;
  for (const reading of list) {
    const continues = previous !== undefined && reading.pid === previous.pid && reading.t - previous.t <= 2 * intervalMs;
    if (reading.pool.waiting > 0) {
      if (!start || !continues) start = reading;
      // Each reading stands for the interval before it, so a run of k readings covers k intervals.
      const ms = reading.t - start.t + intervalMs;
      if (!best || ms > best.ms) best = { start: start.t, end: reading.t, ms };
    } else {
      start = undefined;
    }
    previous = reading;
  }
  return best;
}

/**
 * Whether the slowest acquisition of a reading may have begun while a fault acted. A dependency
 * frozen or cut by a fault makes acquisitions run into their timeout however well the pool is
 * used: that wait is the fault's effect (fault-impact reports it), not a pool that is too small
 * or leaking. A pool the fault drives into a lasting queue is still caught by the queue itself.
 */
function overlapsFault(reading: Reading, spans: FaultSpan[], intervalMs: number): boolean {
  const began = reading.t - intervalMs - (reading.pool.acquireWaitMax ?? 0);
  return spans.some((span) => reading.t > span.start && began < span.end);
}

const maxOf = (values: (number | undefined)[]) => values.reduce<number | undefined>((top, value) => (value === undefined ? top : Math.max(top ?? value, value)), undefined);

function judge(run: RunData, service: string, name: string, list: Reading[]): Finding[] {
  const intervalMs = run.meta.sampleIntervalMs;
  const waiting = list.filter((reading) => reading.pool.waiting > 0);
  const streak = longestWait(list, intervalMs);
  const share = waiting.length / list.length;
  const sustained = (streak !== undefined && streak.ms >= SUSTAINED_MS) || (waiting.length >= MIN_WAITING_SAMPLES && share >= WAITING_SHARE);
  const spans = faultSpans(run);
  const nearTimeout = list.filter(
    (reading) =>
      reading.pool.acquireTimeout !== undefined &&
      reading.pool.acquireTimeout > 0 &&
      (reading.pool.acquireWaitMax ?? 0) >= NEAR_TIMEOUT_SHARE * reading.pool.acquireTimeout &&
      !overlapsFault(reading, spans, intervalMs),
  );
  if (!sustained && nearTimeout.length === 0) return [];

  const peak = list.reduce((top, reading) => (reading.pool.waiting > top.pool.waiting ? reading : top));
  const acquireWaitP99 = maxOf(list.map(({ pool }) => pool.acquireWaitP99));
  const acquireWaitMax = maxOf(list.map(({ pool }) => pool.acquireWaitMax));
  const acquireTimeout = maxOf(list.map(({ pool }) => pool.acquireTimeout));
  const queued =
    sustained && streak
      ? `callers waited for a connection in ${plural(waiting.length, 'sample')} of ${list.length} (${percent(share)}), ` +
        `longest for ${figure(streak.ms / 1000)} s from ${offset(streak.start, run.startT)}, ` +
        `up to ${peak.pool.waiting} at once with ${peak.pool.total} open and ${peak.pool.idle} idle`
      : `callers queued in only ${plural(waiting.length, 'sample')} of ${list.length}`;
  const nearly = nearTimeout.length > 0
    ? `; in ${plural(nearTimeout.length, 'interval')} an acquisition waited ${figure(acquireWaitMax ?? 0)} ms, at least ${NEAR_TIMEOUT_SHARE * 100}% of the ${figure(acquireTimeout ?? 0)} ms acquire timeout`
    : '';
  const at = Math.min(sustained && streak ? streak.start : Infinity, nearTimeout[0]?.t ?? Infinity);
  return [
    {
      kind: 'pool-exhaustion',
      severity: 'fail',
      title: `Pool ${name} of ${service} exhausted`,
      service,
      at: Number.isFinite(at) ? at : undefined,
      evidence: {
        summary: `Pool ${name} of ${service}: ${queued}${nearly}. Requests queue behind the pool instead of being served; connections may be held too long or leaked.`,
        pool: name,
        samples: list.length,
        samplesWaiting: waiting.length,
        waitingShare: round(share),
        ...(streak ? { windowStart: streak.start, windowEnd: streak.end, longestWaitMs: streak.ms } : {}),
        peakWaiting: peak.pool.waiting,
        peakWaitingAt: peak.t,
        poolSizeAtPeak: peak.pool.total,
        idleAtPeak: peak.pool.idle,
        ...(acquireWaitP99 !== undefined ? { acquireWaitP99Ms: acquireWaitP99 } : {}),
        ...(acquireWaitMax !== undefined ? { acquireWaitMaxMs: acquireWaitMax } : {}),
        ...(acquireTimeout !== undefined ? { acquireTimeoutMs: acquireTimeout } : {}),
        intervalsNearTimeout: nearTimeout.length,
        ...(nearTimeout[0] ? { firstNearTimeoutAt: nearTimeout[0].t } : {}),
      },
    },
  ];
}

/** Connection pools that callers queue for persistently, or whose acquisitions come close to timing out. */
export const poolExhaustion: Detector = {
  name: 'pool-exhaustion',
  detect(run) {
    const findings: Finding[] = [];
    for (const [service, samples] of run.node) {
      for (const [name, list] of readings(samples)) findings.push(...judge(run, service, name, list));
    }
    return findings;
  },
};
