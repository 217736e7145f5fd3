// Pricing API whose every request asks PostgreSQL (seed 000 #6: an upstream call with no timeout
// "hangs forever if Python freezes"; seed 000 #8: no circuit breaker, every request hammers the
// dependency that is down).
//
// GET /prices/:sku runs the pricing query; it takes QUERY_MS in the database (a pg_sleep standing in
// for the query's own work, so the figures do not depend on this machine's CPU).
//
// buggy: a pg.Pool (max 10) with no connection timeout and no query timeout. While the database
//        is frozen every query in flight hangs, every later request queues for one of the ten
//        hung connections, and nothing answers. When the database comes back the pool still owes
//        every queued request a query, those whose callers gave up long ago included: new requests
//        wait behind that backlog, so the service stays slow long after the database is fine.
// fixed: connections and queries time out (CONNECT_TIMEOUT_MS, QUERY_TIMEOUT_MS; a timed-out
//        client is thrown away), at most MAX_WAITING requests queue for a connection, and a circuit
//        breaker opens after BREAKER_FAILURES failures in a row: while open it answers 503 at once,
//        every BREAKER_OPEN_MS it lets one trial query through, and the first that succeeds closes it.
const pg = require('pg');
const { HttpError, createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant, requireEnv } = require('../lib/lifecycle.js');
const { CircuitBreaker } = require('./breaker.js');

const variant = readVariant();
const queryMs = envInt('QUERY_MS', 100);
const maxWaiting = envInt('MAX_WAITING', 10);
const poolMax = 10;

const poolOptions = { connectionString: requireEnv('DATABASE_URL', 'postgres://user:pass@127.0.0.1:5432/db'), max: poolMax, idleTimeoutMillis: 30_000 };
const pool = new pg.Pool(
  variant === 'fixed'
    ? { ...poolOptions, connectionTimeoutMillis: envInt('CONNECT_TIMEOUT_MS', 1000), query_timeout: envInt('QUERY_TIMEOUT_MS', 1000) }
    : poolOptions,
);
// An idle client losing its server must not crash the process.
pool.on('error', (error) => console.error(`pool: idle client error: ${error.message}`));
const breaker = new CircuitBreaker({
  failureThreshold: envInt('BREAKER_FAILURES', 5),
  openMs: envInt('BREAKER_OPEN_MS', 1000),
  // A missing sku is an answer from a healthy database.
  isFailure: (error) => !(error.status < 500),
});

async function createSchema() {
  await pool.query('CREATE TABLE IF NOT EXISTS prices (sku integer PRIMARY KEY, cents integer NOT NULL)');
  await pool.query(`INSERT INTO prices (sku, cents) SELECT n, 100 + (n * 7919) % 10000 FROM generate_series(1, 1000) AS n ON CONFLICT (sku) DO NOTHING`);
}

function parseSku(raw) {
  const sku = Number(raw);
  if (!Number.isInteger(sku) || sku <= 0 || sku > 2 ** 31 - 1) throw new HttpError(400, `sku must be a positive integer, got "${raw}"`);
  return sku;
}

async function queryPrice(sku) {
  const { rows } = await pool.query('SELECT p.sku, p.cents FROM prices p, pg_sleep($2::float8) WHERE p.sku = $1', [sku, queryMs / 1000]);
  if (rows.length === 0) throw new HttpError(404, `no price for sku ${sku}`);
  return rows[0];
}

async function priceFixed(sku) {
  // Queueing behind a pool that is not giving connections back only adds to the wait.
  if (pool.waitingCount >= maxWaiting) throw new HttpError(503, 'database busy, retry shortly');
  try {
    return await breaker.call(() => queryPrice(sku));
  } catch (error) {
    // A 404, or the open breaker's 503.
    if (error.status) throw error;
    throw new HttpError(503, `database unavailable: ${error.message}`);
  }
}

const counts = { ok: 0, notFound: 0, failed: 0, shed: 0 };

const price = variant === 'fixed' ? priceFixed : queryPrice;

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'GET',
    '/prices/:sku',
    async ({ params }) => {
      try {
        const result = await price(parseSku(params.sku));
        counts.ok += 1;
        return result;
      } catch (error) {
        if (error.status === 404) counts.notFound += 1;
        else if (error.status === 503) counts.shed += 1;
        else if (!error.status || error.status >= 500) counts.failed += 1;
        throw error;
      }
    },
  ],
  [
    'GET',
    '/stats',
    () => ({
      variant,
      pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolMax },
      ...(variant === 'fixed' ? { breaker: breaker.stats() } : {}),
      requests: counts,
    }),
  ],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  // Clients hung on a frozen database never end: the step timeout lets the exit go on.
  ['pg pool', () => pool.end()],
], { stepTimeoutMs: 1000 });

createSchema()
  .then(() => listen(server))
  .then((port) => console.log(`upstream-hang (${variant}) listening on 127.0.0.1:${port}`))
  .catch((error) => {
    console.error(`cannot start: ${error.message}`);
    process.exit(1);
  });
