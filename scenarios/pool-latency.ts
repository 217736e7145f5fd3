import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/**
 * Seed 000 #2 under a slow network: the pool-exhaustion target with 200 ms added to every reply
 * from PostgreSQL for 20 s. Only orders that exist are asked for, so the buggy variant leaks
 * nothing: it merely holds each connection across a 200 ms upstream call, which leaves its pool of
 * 10 enough room at 30 req/s until the database link slows down, and then too little. The fixed
 * variant holds a connection only for its query and keeps up.
 */
export default defineScenario({
  name: `pool-latency-${variant()}`,
  description: 'Orders API on pg.Pool(max 10) at 30 req/s; from 20 s to 40 s every reply from PostgreSQL comes 200 ms late.',
  dependencies: [{ kind: 'postgres' }],
  target: { cmd: 'node targets/pool-exhaustion/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    // Ids ending in 1: never an archived order (multiples of 10), so no 404 leaks a client.
    requests: [{ path: '/orders/{{random:0-99}}1' }],
    timeout: '5s',
    phases: [{ kind: 'steady', duration: '60s', rate: 30 }],
  },
  faults: [{ kind: 'latency', name: 'slow-db-link', target: 'postgres', at: '20s', duration: '20s', latency: '200ms' }],
  budgets: { p99: '1s', errorRate: 0.01, recovery: '10s' },
});
