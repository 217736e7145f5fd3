import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/**
 * Seed 000 #1: a supervisor restarts a worker that crashes on start, forever and without back-off.
 * Fixed backs off and gives up: its exit is reported as target-crash, by design; crash-loop must not fire.
 */
export default defineScenario({
  name: `crash-loop-${variant()}`,
  description: 'Supervisor with a worker whose dependency refuses connections.',
  target: { cmd: 'node targets/crash-loop/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [{ path: '/work?n=1000' }],
    phases: [{ kind: 'steady', duration: '60s', rate: 20 }],
  },
});
