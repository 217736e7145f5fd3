// A large in-memory index (many small objects, as a catalogue or a search index is) and a bounded
// cache of search results over it. The cache's evictions are old-generation garbage, so major GCs
// come at their natural pace and each must mark the whole index: long pauses with no blocking code.
const BATCH = 20_000;

/** Builds entries until the heap has grown by `megabytes` (measured by V8, not estimated). */
export function buildIndex(megabytes) {
  const entries = [];
  const before = process.memoryUsage().heapUsed;
  const target = megabytes * 1024 * 1024;
  const started = Date.now();
  while (process.memoryUsage().heapUsed - before < target) {
    for (let i = 0; i < BATCH; i += 1) {
      const id = entries.length;
      entries.push({
        id,
        name: `item-${id}-${((id * 2654435761) >>> 0).toString(16)}`,
        tags: [`t${id % 97}`, `c${id % 13}`],
        score: id * 0.5,
        owner: { id: id % 5000, region: `r${id % 7}` },
      });
    }
  }
  return { entries, bytes: process.memoryUsage().heapUsed - before, buildMs: Date.now() - started };
}

/** Looks up a few entries, renders them, and keeps the rendering in a cache that evicts its oldest entry past `capacity`. */
export function searcher(index, capacity) {
  const cache = new Map();
  let next = 0;
  return function search() {
    const picked = [];
    for (let i = 0; i < 100; i += 1) picked.push(index.entries[Math.floor(Math.random() * index.entries.length)]);
    const rendered = JSON.stringify(picked);
    if (capacity > 0) {
      cache.set(next, rendered);
      next += 1;
      if (cache.size > capacity) cache.delete(cache.keys().next().value);
    }
    return picked.length;
  };
}
