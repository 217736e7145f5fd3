import { afterEach, describe, expect, it } from 'vitest';
import { getJson, startTarget, stopAllTargets, type RunningTarget } from '../helpers/targets.js';

interface Stats {
  entries: number;
  bytes: number;
  tags: number;
  hits: number;
  misses: number;
}

async function requestIds(target: RunningTarget, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(async (id) => {
        const response = await fetch(`${target.url}/item/${id}`);
        expect(response.status).toBe(200);
        const item = (await response.json()) as { id: string };
        expect(item.id).toBe(String(id));
      }),
    );
  }
}

const stats = async (target: RunningTarget) => (await getJson<Stats>(`${target.url}/stats`)).body;
const distinctIds = Array.from({ length: 300 }, (_, i) => i + 1);

describe('unbounded-cache target', () => {
  afterEach(stopAllTargets);

  it('buggy keeps one entry and one item tag per id ever requested', async () => {
    const target = await startTarget('unbounded-cache', { variant: 'buggy', env: { CACHE_MAX: '50' } });
    await requestIds(target, distinctIds.slice(0, 150));
    const half = await stats(target);
    await requestIds(target, distinctIds.slice(150));
    const full = await stats(target);
    expect(half.entries).toBe(150);
    expect(full.entries).toBe(300);
    expect(full.tags).toBeGreaterThan(300);
    expect(full.bytes).toBeGreaterThan(300 * 2000);
  });

  it('fixed stays within CACHE_MAX entries and prunes the tags of evicted entries', async () => {
    const target = await startTarget('unbounded-cache', { variant: 'fixed', env: { CACHE_MAX: '50' } });
    await requestIds(target, distinctIds);
    const full = await stats(target);
    expect(full.entries).toBe(50);
    expect(full.misses).toBe(300);
    // item:<id> for the 50 cached ids, plus at most 64 shard and 40 category tags.
    expect(full.tags).toBeLessThanOrEqual(50 + 64 + 40);
    // Cached entries are still served from the cache.
    await requestIds(target, distinctIds.slice(-10));
    expect((await stats(target)).hits).toBe(10);
  });

  it('invalidating a tag removes its entries in both variants', async () => {
    for (const variant of ['buggy', 'fixed'] as const) {
      const target = await startTarget('unbounded-cache', { variant });
      await requestIds(target, [7, 8]);
      expect((await getJson(`${target.url}/invalidate/item:7`, { method: 'POST' })).body).toEqual({ tag: 'item:7', removed: 1 });
      expect((await stats(target)).entries).toBe(1);
      expect(await target.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
