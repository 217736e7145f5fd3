import { defineScenario } from 'soak';
import { variant } from './variant.js';

interface Observed {
  count: number;
  max: number;
}

/** Seed 004 #8, 000 #5: read-modify-write of a running maximum; fixed is one atomic statement. */
export default defineScenario({
  name: `lost-update-${variant()}`,
  description: 'Concurrent POST /observe of increasing values; the stored maximum must equal the largest acknowledged value.',
  dependencies: [{ kind: 'postgres' }],
  target: { cmd: 'node targets/lost-update/server.js', env: { VARIANT: variant() }, ready: { path: '/health' } },
  load: {
    requests: [{ method: 'POST', path: '/observe', body: { value: '{{seq}}' } }],
    phases: [{ kind: 'steady', duration: '20s', rate: 200 }],
  },
  checks: [
    {
      name: 'stored maximum equals the largest acknowledged value',
      kind: 'data-loss',
      async run({ services }) {
        const base = services.target!.url!;
        const stored = (await (await fetch(`${base}/max`)).json()) as { max: number };
        const acknowledged = (await (await fetch(`${base}/observed`)).json()) as Observed;
        return {
          ok: stored.max === acknowledged.max,
          message: stored.max === acknowledged.max ? undefined : `stored ${stored.max}, acknowledged ${acknowledged.max}`,
          detail: { storedMax: stored.max, acknowledgedMax: acknowledged.max, acknowledgedWrites: acknowledged.count },
        };
      },
    },
  ],
});
