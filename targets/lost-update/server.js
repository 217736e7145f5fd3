// Keeps the running maximum of observed prices in PostgreSQL (seed 004 #8: "read existing, compute
// Math.max in JS, write back: concurrent updates lose the true maximum"; seed 000 #5: racing syncs).
//
// POST /observe {value, series?}  records an observation, answers once it is stored
// GET  /max?series=               the maximum as stored in the database
// GET  /observed?series=          what this process acknowledged: count and the true maximum
//
// buggy: SELECT the current max, await a price-feed lookup (PRICE_LOOKUP_MS, ~0-10 ms), compute
//        Math.max in JS, UPDATE with the result. Two requests that read the same old max both
//        write: the last writer wins, even with the smaller value, and the true maximum is lost
//        although the request that carried it got 200.
// fixed: one atomic statement, UPDATE ... SET max_value = GREATEST(max_value, $2): the database
//        compares under the row lock, so no acknowledged value can be lost.
const pg = require('pg');
const { HttpError, createHttpServer, readJson } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant, requireEnv, sleep } = require('../lib/lifecycle.js');

const variant = readVariant();
const priceLookupMs = envInt('PRICE_LOOKUP_MS', 10);

const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL', 'postgres://user:pass@127.0.0.1:5432/db'), max: 10 });
pool.on('error', (error) => console.error(`pool: idle client error: ${error.message}`));

async function createSchema() {
  await pool.query(`CREATE TABLE IF NOT EXISTS series_max (
    series text PRIMARY KEY,
    max_value double precision NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now())`);
}

/** Stands in for asking a price feed whether the observation is plausible: a few ms of waiting. */
const lookUpPrice = () => sleep(Math.random() * priceLookupMs);

async function observeBuggy(series, value) {
  const { rows } = await pool.query('SELECT max_value FROM series_max WHERE series = $1', [series]);
  await lookUpPrice();
  const next = rows.length ? Math.max(rows[0].max_value, value) : value;
  // Blind upsert of a value computed from a read that may be stale by now.
  await pool.query(
    `INSERT INTO series_max (series, max_value) VALUES ($1, $2)
     ON CONFLICT (series) DO UPDATE SET max_value = EXCLUDED.max_value, updated_at = now()`,
    [series, next],
  );
}

async function observeFixed(series, value) {
  await lookUpPrice();
  await pool.query(
    `INSERT INTO series_max (series, max_value) VALUES ($1, $2)
     ON CONFLICT (series) DO UPDATE SET max_value = GREATEST(series_max.max_value, EXCLUDED.max_value), updated_at = now()`,
    [series, value],
  );
}

const observe = variant === 'fixed' ? observeFixed : observeBuggy;
/** series -> { count, max } of acknowledged observations. */
const acknowledged = new Map();

function seriesParam(raw) {
  const series = raw ?? 'default';
  if (!/^[\w.-]{1,64}$/.test(series)) throw new HttpError(400, 'series must be 1-64 letters, digits, "_", "." or "-"');
  return series;
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'POST',
    '/observe',
    async ({ req }) => {
      const body = await readJson(req);
      const series = seriesParam(body.series);
      if (typeof body.value !== 'number' || !Number.isFinite(body.value)) throw new HttpError(400, 'value must be a finite number');
      await observe(series, body.value);
      const seen = acknowledged.get(series) ?? { count: 0, max: -Infinity };
      acknowledged.set(series, { count: seen.count + 1, max: Math.max(seen.max, body.value) });
      return { series, value: body.value };
    },
  ],
  [
    'GET',
    '/max',
    async ({ query }) => {
      const series = seriesParam(query.get('series') ?? undefined);
      const { rows } = await pool.query('SELECT max_value FROM series_max WHERE series = $1', [series]);
      return { series, max: rows.length ? rows[0].max_value : null };
    },
  ],
  [
    'GET',
    '/observed',
    ({ query }) => {
      const series = seriesParam(query.get('series') ?? undefined);
      const seen = acknowledged.get(series);
      return { series, count: seen?.count ?? 0, max: seen ? seen.max : null };
    },
  ],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  ['pg pool', () => pool.end()],
]);

createSchema()
  .then(() => listen(server))
  .then((port) => console.log(`lost-update (${variant}) listening on 127.0.0.1:${port}`))
  .catch((error) => {
    console.error(`cannot start: ${error.message}`);
    process.exit(1);
  });
