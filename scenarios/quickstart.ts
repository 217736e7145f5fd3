import { defineScenario } from 'soak-harness';

/**
 * A healthy service under a ramp, a steady phase and a short spike: the first thing to run.
 * Expect a pass with no findings; open the report to see what soak samples.
 */
export default defineScenario({
  name: 'quickstart',
  description: 'Healthy JSON service with a bounded LRU cache: should pass with no findings.',
  target: {
    cmd: 'node targets/quickstart/server.js',
    ready: { path: '/health' },
  },
  load: {
    kind: 'http',
    requests: [
      { path: '/items/{{random}}', weight: 4 },
      { path: '/health', weight: 1 },
    ],
    phases: [
      { kind: 'ramp', duration: '10s', rate: [20, 200] },
      { kind: 'steady', duration: '35s', rate: 200 },
      { kind: 'spike', duration: '5s', rate: 600 },
      { kind: 'steady', duration: '10s', rate: 200 },
    ],
  },
  budgets: { p99: '250ms', errorRate: 0.01 },
});
