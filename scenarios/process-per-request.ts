import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/**
 * Seed 002 #2: a child process spawned per request; fixed is a bounded queue of long-lived workers.
 * At 8 req/s both cope; the spike to 25 req/s makes buggy start a node process 25 times a second
 * (~80 ms of CPU each: more than two cores' worth), while fixed, its pool sized for the spike
 * (WORKERS=16), keeps the process count flat. The report's child-process chart shows both.
 */
export default defineScenario({
  name: `process-per-request-${variant()}`,
  description: 'POST /analyse: buggy spawns a node process per request, fixed queues onto 4 long-lived workers.',
  target: { cmd: 'node targets/process-per-request/server.js', env: { VARIANT: variant(), WORKERS: '16' }, ready: { path: '/health' } },
  load: {
    requests: [{ method: 'POST', path: '/analyse', body: { input: 'order-{{seq}}' } }],
    timeout: '10s',
    phases: [
      { kind: 'steady', duration: '20s', rate: 8 },
      { kind: 'spike', duration: '20s', rate: 25 },
      { kind: 'steady', duration: '15s', rate: 8 },
    ],
  },
  budgets: { p99: '2s', errorRate: 0.01 },
});
