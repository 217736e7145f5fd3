import { afterEach, describe, expect, it } from 'vitest';
import { getJson, startTarget, stopAllTargets } from '../helpers/targets.js';

describe('quickstart target', () => {
  afterEach(stopAllTargets);

  it('serves items, keeps its cache within CACHE_MAX, and exits 0 on SIGTERM', async () => {
    const target = await startTarget('quickstart', { env: { CACHE_MAX: '20' } });
    const first = await getJson(`${target.url}/items/abc`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: 'abc', sku: expect.stringMatching(/^[0-9A-F]{12}$/) });
    expect((await getJson(`${target.url}/items/abc`)).body).toEqual(first.body);
    await Promise.all(Array.from({ length: 100 }, (_, i) => getJson(`${target.url}/items/${i}`)));
    expect((await getJson(`${target.url}/stats`)).body).toEqual({ served: 102, cached: 20, cacheMax: 20 });
    expect((await getJson(`${target.url}/nope`)).status).toBe(404);
    expect(await target.stop()).toEqual({ code: 0, signal: null });
  });
});
