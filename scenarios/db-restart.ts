import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/**
 * Seed 000 #7: PostgreSQL is killed mid-run and started again 5 s later. buggy reconnects its one
 * client for about 1.4 s, gives up, and fails every request from then on; fixed (a pool that
 * replaces broken clients, retries with back-off) is back within a second or two of the database.
 */
export default defineScenario({
  name: `db-restart-${variant()}`,
  description: 'Accounts API at 50 req/s; the database is killed (SIGKILL) at 25 s and restarted 5 s later.',
  dependencies: [{ kind: 'postgres' }],
  target: { cmd: 'node targets/db-restart/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [{ path: '/accounts/{{random:1-1000}}' }],
    timeout: '5s',
    phases: [
      { name: 'before', duration: '25s', rate: 50 },
      // Down for 5 s, plus the 2 s the fixed variant may spend retrying a request that began then
      // and the second the database takes to come up.
      { name: 'outage', duration: '8s', rate: 50 },
      { name: 'after', duration: '32s', rate: 50 },
    ],
  },
  faults: [{ kind: 'kill', name: 'crash-db', target: 'postgres', at: '25s', restartAfter: '5s' }],
  // Judged outside the outage: while the database is down, failing after the retry budget is the
  // right answer. No latency budget: requests that retried across the restart are slow by design.
  budgets: { recovery: '10s', errorRate: 0.05, phases: ['before', 'after'] },
});
