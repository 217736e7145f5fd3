import { figure, offset, percent, plural, round } from '../../core/format.js';
import type { RunFacts } from '../facts/builder.js';
import { NEAR_TIMEOUT_SHARE, type PoolFacts } from '../facts/pools.js';
import type { Detector, Finding } from '../types.js';

/**
 * A pool is exhausted when callers queue for it for a while, not for a moment: 5 s without a break, or
 * in at least a fifth of the samples (and at least 5 of them) when the queue comes and goes.
 */
const SUSTAINED_MS = 5000;
const WAITING_SHARE = 0.2;
const MIN_WAITING_SAMPLES = 5;

function judge(facts: RunFacts, service: string, name: string, pool: PoolFacts): Finding[] {
  const streak = pool.longest;
  const share = pool.samplesWaiting / pool.samples;
  const sustained = (streak !== undefined && streak.ms >= SUSTAINED_MS) || (pool.samplesWaiting >= MIN_WAITING_SAMPLES && share >= WAITING_SHARE);
  if (!sustained && pool.nearTimeout === 0) return [];

  const peak = pool.peak!;
  const { acquireWaitP99, acquireWaitMax, acquireTimeout } = pool;
  const queued =
    sustained && streak
      ? `callers waited for a connection in ${plural(pool.samplesWaiting, 'sample')} of ${pool.samples} (${percent(share)}), ` +
        `longest for ${figure(streak.ms / 1000)} s from ${offset(streak.start, facts.startT)}, ` +
        `up to ${peak.pool.waiting} at once with ${peak.pool.total} open and ${peak.pool.idle} idle`
      : `callers queued in only ${plural(pool.samplesWaiting, 'sample')} of ${pool.samples}`;
  const nearly = pool.nearTimeout > 0
    ? `; in ${plural(pool.nearTimeout, 'interval')} an acquisition waited ${figure(acquireWaitMax ?? 0)} ms, at least ${NEAR_TIMEOUT_SHARE * 100}% of the ${figure(acquireTimeout ?? 0)} ms acquire timeout`
    : '';
  const at = Math.min(sustained && streak ? streak.start : Infinity, pool.firstNearTimeoutAt ?? Infinity);
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
        samples: pool.samples,
        samplesWaiting: pool.samplesWaiting,
        waitingShare: round(share),
        ...(streak ? { windowStart: streak.start, windowEnd: streak.end, longestWaitMs: streak.ms } : {}),
        peakWaiting: peak.pool.waiting,
        peakWaitingAt: peak.t,
        poolSizeAtPeak: peak.pool.total,
        idleAtPeak: peak.pool.idle,
        ...(acquireWaitP99 !== undefined ? { acquireWaitP99Ms: acquireWaitP99 } : {}),
        ...(acquireWaitMax !== undefined ? { acquireWaitMaxMs: acquireWaitMax } : {}),
        ...(acquireTimeout !== undefined ? { acquireTimeoutMs: acquireTimeout } : {}),
        intervalsNearTimeout: pool.nearTimeout,
        ...(pool.firstNearTimeoutAt !== undefined ? { firstNearTimeoutAt: pool.firstNearTimeoutAt } : {}),
      },
    },
  ];
}

/** Connection pools that callers queue for persistently, or whose acquisitions come close to timing out. */
export const poolExhaustion: Detector = {
  name: 'pool-exhaustion',
  detect(facts) {
    return [...facts.services.values()].flatMap((service) => [...service.poolFacts].flatMap(([name, pool]) => judge(facts, service.name, name, pool)));
  },
};
