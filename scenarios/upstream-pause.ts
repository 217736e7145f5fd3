import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/**
 * Seed 000 #6 and #8: PostgreSQL freezes for 15 s mid-run. buggy has no timeouts, so requests pile
 * up behind hung connections and the backlog keeps it slow long after the database is back; fixed
 * times out, answers 503 from an open circuit breaker during the freeze and is back within seconds.
 */
export default defineScenario({
  name: `upstream-pause-${variant()}`,
  description: 'Pricing API on pg.Pool(max 10), 100 ms per query, 60 req/s; the database is paused (SIGSTOP) from 25 s to 40 s.',
  dependencies: [{ kind: 'postgres' }],
  target: { cmd: 'node targets/upstream-hang/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [{ path: '/prices/{{random:1-1000}}' }],
    timeout: '5s',
    phases: [
      { name: 'before', duration: '25s', rate: 60 },
      // Frozen for 15 s, plus the 2 s the fixed variant's breaker may take to try the database again
      // (1 s open, then a trial that may wait out its 1 s connection timeout).
      { name: 'frozen', duration: '17s', rate: 60 },
      { name: 'after', duration: '43s', rate: 60 },
    ],
  },
  faults: [{ kind: 'pause', name: 'freeze-db', target: 'postgres', at: '25s', duration: '15s' }],
  // Judged outside the freeze: while the database is frozen, failing fast is the right answer.
  budgets: { recovery: '10s', p99: '500ms', errorRate: 0.05, phases: ['before', 'after'] },
});
