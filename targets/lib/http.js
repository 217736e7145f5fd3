// A few lines of routing so each target reads like a small real service without a framework.
const http = require('node:http');

/** An error a handler throws to answer with a status other than 500. */
class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function sendJson(res, status, body) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Reads a JSON object body of at most `limit` bytes; an empty body is {}. */
async function readJson(req, limit = 64 * 1024) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
  return body;
}

/** "/item/:id" -> a matcher returning { id } or undefined. */
function compilePath(pattern) {
  const names = [];
  const source = pattern.replace(/:([A-Za-z_]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${source}$`);
  return (pathname) => {
    const match = regex.exec(pathname);
    if (!match) return undefined;
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
  };
}

/**
 * routes: [method, pattern, handler]; a handler gets { req, res, params, query } and either
 * returns a value (sent as 200 JSON) or answers on `res` itself.
 */
function createHttpServer(routes) {
  const table = routes.map(([method, pattern, handler]) => ({ method, match: compilePath(pattern), handler }));
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    for (const route of table) {
      if (route.method !== req.method) continue;
      const params = route.match(url.pathname);
      if (!params) continue;
      try {
        const result = await route.handler({ req, res, params, query: url.searchParams });
        if (result !== undefined) sendJson(res, 200, result);
      } catch (error) {
        const status = error.status ?? 500;
        if (status >= 500) console.error(`${req.method} ${url.pathname}: ${error.message}`);
        sendJson(res, status, { error: error.message });
      }
      return;
    }
    sendJson(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
  });
}

module.exports = { HttpError, createHttpServer, readJson, sendJson };
