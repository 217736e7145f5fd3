import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/** Seed 002 #1, 001 #4/#7: sync file I/O, sync crypto and a catastrophic regex in the request path. */
export default defineScenario({
  name: `event-loop-block-${variant()}`,
  description: 'Report export, login and search: buggy does them synchronously on the event loop.',
  target: { cmd: 'node targets/event-loop-block/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [
      { path: '/report', weight: 1 },
      { method: 'POST', path: '/login', body: { user: 'demo', password: 'demo-password' }, weight: 2 },
      { path: '/search?q=aaaaaaaaaaaaaaaaaaaaaaaaa!', weight: 1 },
      { path: '/health', weight: 6 },
    ],
    phases: [{ kind: 'steady', duration: '45s', rate: 8 }],
  },
});
