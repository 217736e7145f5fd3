import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/** Seed 001 #3, 000 #4: per-connection state (rooms, typing timers, a 40 KB resume buffer) kept after disconnect. */
export default defineScenario({
  name: `ws-state-leak-${variant()}`,
  description: 'WebSocket clients join a room, chat and ping, then leave; again and again.',
  target: { cmd: 'node targets/ws-state-leak/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    kind: 'ws',
    path: '/',
    connectRate: 50,
    messageRate: 20,
    message: { type: 'ping', id: '{{seq}}' },
    expectReply: 'id',
    churn: { messages: 5 },
    phases: [{ kind: 'soak', duration: '60s', connections: 20 }],
  },
  analysis: { warmup: '5s' },
});
