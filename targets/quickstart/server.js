// A healthy little catalogue service: the first thing soak runs, expected to pass with no findings.
// GET /items/:id renders a small JSON document (a little CPU) and keeps recent ones in a bounded LRU.
const { createHash } = require('node:crypto');
const { LRUCache } = require('lru-cache');
const { createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown } = require('../lib/lifecycle.js');

const cache = new LRUCache({ max: envInt('CACHE_MAX', 1000) });
let served = 0;

function renderItem(id) {
  const digest = createHash('sha256').update(`item:${id}`).digest('hex');
  return {
    id,
    sku: digest.slice(0, 12).toUpperCase(),
    price: (parseInt(digest.slice(12, 18), 16) % 10_000) / 100,
    stock: parseInt(digest.slice(18, 22), 16) % 500,
    tags: [digest.slice(22, 26), digest.slice(26, 30)],
  };
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true })],
  [
    'GET',
    '/items/:id',
    ({ params }) => {
      served += 1;
      let item = cache.get(params.id);
      if (!item) {
        item = renderItem(params.id);
        cache.set(params.id, item);
      }
      return item;
    },
  ],
  ['GET', '/stats', () => ({ served, cached: cache.size, cacheMax: cache.max })],
]);

listen(server).then((port) => console.log(`quickstart listening on 127.0.0.1:${port}`));
onShutdown([['http server', () => closeServer(server)]]);
