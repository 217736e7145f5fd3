import type { Detector } from '../types.js';
import { budgets } from './budgets.js';
import { crashLoop } from './crash-loop.js';
import { errorRate } from './error-rate.js';
import { eventLoopBlocked } from './event-loop-blocked.js';
import { failedCheck } from './failed-check.js';
import { gcPause } from './gc-pause.js';
import { generatorSaturated } from './generator-saturated.js';
import { faultImpact } from './fault-impact.js';
import { handleLeak } from './handle-leak.js';
import { hostContention } from './host-contention.js';
import { latencyBudget } from './latency-budget.js';
import { memoryLeak } from './memory-leak.js';
import { poolExhaustion } from './pool-exhaustion.js';
import { recovery } from './recovery.js';
import { targetCrash } from './target-crash.js';
import { workerLost } from './worker-lost.js';

/** Every detector analyze() runs, in the order their findings are listed. Adding one is one file and one line here. */
export const detectors: readonly Detector[] = [
  generatorSaturated,
  workerLost,
  targetCrash,
  crashLoop,
  memoryLeak,
  handleLeak,
  eventLoopBlocked,
  gcPause,
  hostContention,
  poolExhaustion,
  errorRate,
  latencyBudget,
  budgets,
  failedCheck,
  recovery,
  faultImpact,
];
