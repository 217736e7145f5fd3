import { defineScenario } from 'soak-harness';
import { variant } from './variant.js';

interface SeriesFigure {
  max: number | null;
  count?: number;
}

const seriesCount = 10;
const seriesNames = Array.from({ length: seriesCount }, (_, index) => `s${index + 1}`);

/**
 * Seed 004 #8, 000 #5: read-modify-write of a running maximum; fixed is one atomic statement.
 * Random prices spread over 10 series: a series loses its maximum when the request carrying it
 * races with another one's stale read-modify-write, and no later, larger price repairs it. The
 * check reads every series back and counts those whose stored maximum is below the largest value
 * the service acknowledged. The price-feed lookup between read and write takes up to 50 ms here
 * (as a slow feed would), so races within one series are common.
 */
export default defineScenario({
  name: `lost-update-${variant()}`,
  description: 'Concurrent POST /observe of random prices into 10 series; each stored maximum must equal the largest acknowledged price.',
  dependencies: [{ kind: 'postgres' }],
  target: { cmd: 'node targets/lost-update/server.js', env: { VARIANT: variant(), PRICE_LOOKUP_MS: '50' }, ready: { path: '/health' } },
  load: {
    requests: [{ method: 'POST', path: '/observe', body: { series: 's{{random:1-10}}', value: '{{random:1-1000000}}' } }],
    phases: [{ kind: 'steady', duration: '20s', rate: 200 }],
  },
  checks: [
    {
      name: 'every stored maximum equals the largest acknowledged value',
      kind: 'data-loss',
      async run({ services }) {
        const base = services.target!.url!;
        const read = async (path: string, series: string) => (await (await fetch(`${base}${path}?series=${series}`)).json()) as SeriesFigure;
        let acknowledgedWrites = 0;
        const lost: string[] = [];
        for (const series of seriesNames) {
          const [stored, acknowledged] = await Promise.all([read('/max', series), read('/observed', series)]);
          acknowledgedWrites += acknowledged.count ?? 0;
          if (acknowledged.max !== null && stored.max !== acknowledged.max) lost.push(`${series}: stored ${stored.max}, acknowledged ${acknowledged.max}`);
        }
        return {
          ok: lost.length === 0,
          message: lost.length === 0 ? undefined : `${lost.length} of ${seriesCount} series lost their acknowledged maximum (${lost[0]})`,
          detail: { seriesChecked: seriesCount, seriesLost: lost.length, acknowledgedWrites, lost },
        };
      },
    },
  ],
});
