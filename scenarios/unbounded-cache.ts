import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

/** Seed 001 #5, 003 #4, 004 #7: a Map keyed by ever-new ids; fixed is an LRU with a bound. */
export default defineScenario({
  name: `unbounded-cache-${variant()}`,
  description: 'GET /item/:id caches a 2-10 KB document per id: buggy never evicts, fixed is an LRU.',
  target: { cmd: 'node targets/unbounded-cache/server.js', env: { VARIANT: variant(), CACHE_MAX: '2000' }, ready: { path: '/health' } },
  load: {
    requests: [{ path: '/item/{{seq}}' }],
    phases: [{ kind: 'soak', duration: '90s', rate: 150 }],
  },
  analysis: { warmup: '10s' },
});
