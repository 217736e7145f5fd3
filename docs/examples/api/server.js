// The service the API example soaks: a small JSON API whose cache is bounded.
import { createServer } from 'node:http';

const cache = new Map();
createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (!cache.has(req.url)) {
    if (cache.size >= 1000) cache.delete(cache.keys().next().value);
    cache.set(req.url, { path: req.url, at: Date.now() });
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(cache.get(req.url)));
}).listen(Number(process.env.PORT), '127.0.0.1');
