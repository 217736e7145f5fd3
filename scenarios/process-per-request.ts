import { defineScenario } from 'soak';
import { variant } from './variant.js';

/** Seed 002 #2: a child process spawned per request; fixed is a bounded queue of 4 workers. */
export default defineScenario({
  name: `process-per-request-${variant()}`,
  description: 'POST /analyse: buggy spawns a node process per request, fixed queues onto 4 long-lived workers.',
  target: { cmd: 'node targets/process-per-request/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [{ method: 'POST', path: '/analyse', body: { input: 'order-{{seq}}' } }],
    timeout: '10s',
    phases: [{ kind: 'steady', duration: '45s', rate: 8 }],
  },
  budgets: { p99: '2s', errorRate: 0.01 },
});
