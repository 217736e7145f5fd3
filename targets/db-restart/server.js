// Accounts API on PostgreSQL that must live through a database restart (seed 000 #7: "3 retries
// insufficient", an operation fails for good although the database is healthy again).
//
// GET /accounts/:id reads one account (a primary-key lookup, well under a millisecond).
//
// buggy: one pg.Client opened at start and shared by every request. When the database goes away
//        the client is dead; it is reconnected with 3 attempts 200/400/800 ms apart, about 1.4 s in
//        all. A database that takes longer to come back (a crash and restart, a cold start) outlasts
//        them, and then nothing tries again: every request fails with 500 for as long as the process
//        lives, although the database is fine.
// fixed: a pg.Pool, which throws a broken client away and opens a new one for the next request,
//        and each request retries with back-off (100 ms doubling to 1 s) for up to RETRY_BUDGET_MS
//        before answering 503. Once the database accepts connections again the next request gets a
//        fresh connection: back within a second of the database.
const pg = require('pg');
const { HttpError, createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant, requireEnv, sleep } = require('../lib/lifecycle.js');

const variant = readVariant();
const databaseUrl = requireEnv('DATABASE_URL', 'postgres://user:pass@127.0.0.1:5432/db');
const retryBudgetMs = envInt('RETRY_BUDGET_MS', 2000);
const accountQuery = 'SELECT id, owner, balance_cents FROM accounts WHERE id = $1';

async function createSchema(db) {
  await db.query('CREATE TABLE IF NOT EXISTS accounts (id integer PRIMARY KEY, owner text NOT NULL, balance_cents bigint NOT NULL)');
  await db.query(`INSERT INTO accounts (id, owner, balance_cents) SELECT n, 'owner-' || n, (n * 7919) % 1000000 FROM generate_series(1, 1000) AS n ON CONFLICT (id) DO NOTHING`);
}

/** The buggy variant's database: one client for everything, reconnected a few times and then never again. */
function singleClient() {
  const delaysMs = [200, 400, 800];
  let client;
  let state = 'connecting';

  async function connect() {
    for (const [attempt, delay] of [0, ...delaysMs].entries()) {
      await sleep(delay);
      const candidate = new pg.Client({ connectionString: databaseUrl });
      // Without a listener a lost connection would crash the process instead of just leaving it dead.
      candidate.on('error', (error) => console.error(`db: ${error.message}`));
      try {
        await candidate.connect();
        candidate.on('end', lost);
        client = candidate;
        state = 'connected';
        return;
      } catch (error) {
        console.error(`db: connect attempt ${attempt + 1} of ${delaysMs.length + 1} failed: ${error.message}`);
      }
    }
    state = 'gave-up';
    console.error('db: giving up on the database');
  }

  function lost() {
    if (state !== 'connected') return;
    state = 'connecting';
    void connect();
  }

  return {
    connect,
    query(text, values) {
      // A dead client answers "Client was closed and is not queryable" at once.
      return client.query(text, values);
    },
    state: () => state,
    end: () => client?.end(),
  };
}

/** The fixed variant's database: a pool replaces broken clients; a request retries with back-off within its budget. */
function pooled() {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 1000, idleTimeoutMillis: 30_000 });
  // An idle client losing its server is removed by the pool; the process carries on.
  pool.on('error', (error) => console.error(`pool: idle client error: ${error.message}`));
  return {
    connect: () => pool.query('SELECT 1'),
    async query(text, values) {
      const deadline = Date.now() + retryBudgetMs;
      for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
        try {
          return await pool.query(text, values);
        } catch (error) {
          if (Date.now() + delay > deadline) throw new HttpError(503, `database unavailable: ${error.message}`);
          await sleep(delay);
        }
      }
    },
    state: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    end: () => pool.end(),
  };
}

const db = variant === 'fixed' ? pooled() : singleClient();
const counts = { ok: 0, notFound: 0, failed: 0 };

async function getAccount(raw) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0 || id > 2 ** 31 - 1) throw new HttpError(400, `account id must be a positive integer, got "${raw}"`);
  const { rows } = await db.query(accountQuery, [id]);
  if (rows.length === 0) throw new HttpError(404, `account ${id} not found`);
  return rows[0];
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'GET',
    '/accounts/:id',
    async ({ params }) => {
      try {
        const account = await getAccount(params.id);
        counts.ok += 1;
        return account;
      } catch (error) {
        if (error.status === 404) counts.notFound += 1;
        else if (!error.status || error.status >= 500) counts.failed += 1;
        throw error;
      }
    },
  ],
  ['GET', '/stats', () => ({ variant, db: db.state(), requests: counts })],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  ['database', () => db.end()],
], { stepTimeoutMs: 1000 });

db.connect()
  .then(() => {
    if (variant === 'buggy' && db.state() !== 'connected') throw new Error('no database connection');
    return createSchema(db);
  })
  .then(() => listen(server))
  .then((port) => console.log(`db-restart (${variant}) listening on 127.0.0.1:${port}`))
  .catch((error) => {
    console.error(`cannot start: ${error.message}`);
    process.exit(1);
  });
