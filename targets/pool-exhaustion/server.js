// Orders API on a pg.Pool (seed 000 #2: max 10, 2 s connect timeout, no wait metrics; seed 003 #5:
// resources not released on error paths).
//
// GET /orders/:id reads an order, then asks a (simulated) shipping service for a quote, ~200 ms.
// Orders whose id is a multiple of 10 were archived: the lookup answers 404 (10 % of uniform ids).
//
// buggy: the client is checked out for the whole request and released only on the happy path, so
//        every 404 or 400 leaks one of the ten connections for good, and while it lasts each
//        request holds its connection across the 200 ms upstream call. `waiting` climbs, requests
//        wait the full 2 s connect timeout and fail with 500: throughput collapses.
// fixed: the client is held only for the query and released in `finally`; when more than
//        MAX_WAITING requests already queue for a connection the request is shed at once with 503.
const pg = require('pg');
const { HttpError, createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant, requireEnv, sleep } = require('../lib/lifecycle.js');

const variant = readVariant();
const upstreamMs = envInt('UPSTREAM_MS', 200);
const maxWaiting = envInt('MAX_WAITING', 20);

const pool = new pg.Pool({
  connectionString: requireEnv('DATABASE_URL', 'postgres://user:pass@127.0.0.1:5432/db'),
  max: 10,
  connectionTimeoutMillis: 2000,
  idleTimeoutMillis: 30_000,
});
// An idle client losing its server (a restart, a fault) must not crash the process.
pool.on('error', (error) => console.error(`pool: idle client error: ${error.message}`));

async function createSchema() {
  await pool.query(`CREATE TABLE IF NOT EXISTS orders (
    id integer PRIMARY KEY,
    customer text NOT NULL,
    total_cents integer NOT NULL,
    weight_grams integer NOT NULL)`);
  await pool.query(`INSERT INTO orders (id, customer, total_cents, weight_grams)
    SELECT n, 'customer-' || (n % 97), (n * 7919) % 100000, 100 + (n * 31) % 5000
    FROM generate_series(1, 1000) AS n WHERE n % 10 <> 0
    ON CONFLICT (id) DO NOTHING`);
}

function parseOrderId(raw) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31 - 1) throw new HttpError(400, `order id must be a positive integer, got "${raw}"`);
  return id;
}

async function findOrder(client, id) {
  const { rows } = await client.query('SELECT id, customer, total_cents, weight_grams FROM orders WHERE id = $1', [id]);
  if (rows.length === 0) throw new HttpError(404, `order ${id} not found`);
  return rows[0];
}

/** Stands in for an HTTP call to a shipping-rates service: slow, and nothing to do with the database. */
async function shippingQuote(order) {
  await sleep(upstreamMs);
  return { carrier: 'ground', cents: 499 + Math.ceil(order.weight_grams / 100) * 25 };
}

async function getOrderBuggy(rawId) {
  const client = await pool.connect();
  // Validation and the 404 throw after connect, before release: the client never goes back.
  const order = await findOrder(client, parseOrderId(rawId));
  // The connection stays checked out across a call that does not need it.
  const shipping = await shippingQuote(order);
  client.release();
  return { ...order, shipping };
}

async function getOrderFixed(rawId) {
  const id = parseOrderId(rawId);
  // Better to refuse now than to make the caller wait 2 s for a connection it will likely not get.
  if (pool.waitingCount >= maxWaiting) throw new HttpError(503, 'database busy, retry shortly');
  let client;
  try {
    client = await pool.connect();
  } catch (error) {
    throw new HttpError(503, `database unavailable: ${error.message}`);
  }
  let order;
  try {
    order = await findOrder(client, id);
  } finally {
    client.release();
  }
  const shipping = await shippingQuote(order);
  return { ...order, shipping };
}

const getOrder = variant === 'fixed' ? getOrderFixed : getOrderBuggy;
const counts = { ok: 0, notFound: 0, failed: 0, shed: 0 };

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'GET',
    '/orders/:id',
    async ({ params }) => {
      try {
        const order = await getOrder(params.id);
        counts.ok += 1;
        return order;
      } catch (error) {
        if (error.status === 404) counts.notFound += 1;
        else if (error.status === 503) counts.shed += 1;
        else if (!error.status || error.status >= 500) counts.failed += 1;
        throw error;
      }
    },
  ],
  ['GET', '/stats', () => ({ variant, pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: 10 }, requests: counts })],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  // With leaked clients (buggy) end() never resolves: the step timeout lets the exit go on.
  ['pg pool', () => pool.end()],
], { stepTimeoutMs: 1000 });

createSchema()
  .then(() => listen(server))
  .then((port) => console.log(`pool-exhaustion (${variant}) listening on 127.0.0.1:${port}`))
  .catch((error) => {
    console.error(`cannot start: ${error.message}`);
    process.exit(1);
  });
