// Product-page API with an in-memory render cache and tag-based invalidation (seed 001 #5: "tag map
// grows infinitely"; seed 004 #7: processed-transaction cache growing forever; seed 003 #4).
//
// GET /item/:id renders a 2-10 KB JSON document (a little CPU) and caches it by id, with tags
// (item:<id>, shard:<n>, category:<c>) so POST /invalidate/:tag can drop related entries.
//
// buggy: the cache is a plain Map and the tag index a Map of Sets; nothing is ever evicted (only an
//        explicit invalidation removes entries), so every new id the traffic brings adds 2-10 KB
//        of heap and a tag set for good: a steady heap leak.
// fixed: lru-cache with max entries and a byte budget; its dispose hook removes the key from the
//        tag index and drops tags left empty, so both stay bounded.
const { createHash } = require('node:crypto');
const { LRUCache } = require('lru-cache');
const { createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant } = require('../lib/lifecycle.js');

const variant = readVariant();
const cacheMax = envInt('CACHE_MAX', 1000);
const cacheMaxBytes = envInt('CACHE_MAX_BYTES', 8 * 1024 * 1024);

/** tag -> Set of cache keys */
const tagIndex = new Map();

function tagKey(tag, key) {
  if (!tagIndex.has(tag)) tagIndex.set(tag, new Set());
  tagIndex.get(tag).add(key);
}

function untagKey(tags, key) {
  for (const tag of tags) {
    const keys = tagIndex.get(tag);
    keys?.delete(key);
    if (keys?.size === 0) tagIndex.delete(tag);
  }
}

const cache =
  variant === 'fixed'
    ? new LRUCache({
        max: cacheMax,
        maxSize: cacheMaxBytes,
        sizeCalculation: (entry) => entry.body.length,
        dispose: (entry, key) => untagKey(entry.tags, key),
      })
    : new Map();

/** A product document of 2-10 KB, deterministic per id: description, specs and related ids. */
function renderItem(id) {
  const digest = createHash('sha256').update(`product:${id}`).digest();
  const specCount = 20 + (digest[0] % 100);
  const specs = [];
  for (let i = 0; i < specCount; i += 1) {
    const hash = createHash('md5').update(`${id}:${i}`).digest('hex');
    specs.push({ name: `spec-${i}`, value: hash, unit: ['mm', 'g', 'W', 'pcs'][digest[i % 32] % 4] });
  }
  const document = {
    id,
    name: `Product ${id}`,
    category: `c${digest[1] % 40}`,
    price: (digest.readUInt32BE(2) % 100_000) / 100,
    specs,
    related: Array.from({ length: 8 }, (_, i) => digest.readUInt16BE(i * 2) % 100_000),
  };
  return { body: JSON.stringify(document), tags: [`item:${id}`, `shard:${digest[6] % 64}`, `category:${document.category}`] };
}

let hits = 0;
let misses = 0;

function getItem(id) {
  const cached = cache.get(id);
  if (cached) {
    hits += 1;
    return cached;
  }
  misses += 1;
  const entry = renderItem(id);
  cache.set(id, entry);
  for (const tag of entry.tags) tagKey(tag, id);
  return entry;
}

function invalidate(tag) {
  const keys = [...(tagIndex.get(tag) ?? [])];
  for (const key of keys) {
    const entry = cache.get(key);
    cache.delete(key);
    // The LRU's dispose hook untags; the plain Map has none.
    if (variant === 'buggy' && entry) untagKey(entry.tags, key);
  }
  return keys.length;
}

function cacheBytes() {
  if (variant === 'fixed') return cache.calculatedSize;
  let bytes = 0;
  for (const entry of cache.values()) bytes += entry.body.length;
  return bytes;
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'GET',
    '/item/:id',
    ({ params, res }) => {
      const entry = getItem(params.id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(entry.body);
    },
  ],
  ['POST', '/invalidate/:tag', ({ params }) => ({ tag: params.tag, removed: invalidate(params.tag) })],
  ['GET', '/stats', () => ({ variant, entries: cache.size, bytes: cacheBytes(), tags: tagIndex.size, hits, misses })],
]);

listen(server).then((port) => console.log(`unbounded-cache (${variant}) listening on 127.0.0.1:${port}`));
onShutdown([['http server', () => closeServer(server)]]);
