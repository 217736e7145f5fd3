import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/** Seed 000 #2, 003 #5: a pg pool of 10 that leaks clients on error paths and holds them across slow work. */
export default defineScenario({
  name: `pool-exhaustion-${variant()}`,
  description: 'HTTP API on pg.Pool(max 10): buggy leaks a client per 4xx and holds one across a 200 ms upstream call.',
  dependencies: [{ kind: 'postgres' }],
  target: { cmd: 'node targets/pool-exhaustion/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [{ path: '/orders/{{random:1-1000}}' }],
    timeout: '5s',
    phases: [
      { kind: 'ramp', duration: '10s', rate: [10, 40] },
      { kind: 'steady', duration: '50s', rate: 40 },
    ],
  },
  budgets: { p99: '1s', errorRate: 0.02 },
});
