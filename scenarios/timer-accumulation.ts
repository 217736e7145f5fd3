import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/** Seed 000 #9, 003 #1/#2: a refresh interval and a subscription per session, never cleared. */
export default defineScenario({
  name: `timer-accumulation-${variant()}`,
  description: 'POST /session at a steady rate; sessions expire after 30 s (or 5 s here).',
  target: { cmd: 'node targets/timer-accumulation/server.js', env: { VARIANT: variant(), SESSION_TTL_MS: '5000' }, ready: { path: '/health' } },
  load: {
    requests: [{ method: 'POST', path: '/session', body: { user: 'u{{seq}}' } }],
    phases: [{ kind: 'steady', duration: '45s', rate: 20 }],
  },
});
