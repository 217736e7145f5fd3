// Sales dashboard backend with three request paths that block the event loop (seed 002 #1:
// synchronous file I/O freezing the server; seed 001 #7: sync crypto in the request path;
// seed 001 #4: catastrophic regex on user input). Each blocks for roughly 50-300 ms per request.
//
// GET  /report        sums a ~8 MB CSV of sales it wrote to a temp dir at startup
//   buggy: readFileSync + split + sum in one go: ~100 ms during which nothing else runs
//   fixed: streams the file and sums it chunk by chunk: the same work in many ~1 ms slices
// POST /login {user, password}   checks a PBKDF2-SHA512 hash (210,000 iterations, OWASP 2023)
//   buggy: pbkdf2Sync: ~100 ms of CPU on the event loop per login
//   fixed: crypto.pbkdf2 runs on the libuv thread pool; the loop stays free
// GET  /search?q=     validates q as "words separated by single spaces", then searches a catalogue
//   buggy: /^(\w+\s?)*$/ backtracks exponentially on a near-miss: "a"x25 + "!" takes ~150 ms,
//          each extra character doubles it
//   fixed: /^(?:\w+(?:\s\w+)*\s?)?$/ accepts the same strings in linear time
// GET  /stats?reset=1 the event-loop delay seen by the service itself (max, p99), reset on request
// Users: "demo" / "demo-password".
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const readline = require('node:readline');
const { promisify } = require('node:util');
const { HttpError, createHttpServer, readJson } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant } = require('../lib/lifecycle.js');

const variant = readVariant();
const reportRows = envInt('REPORT_ROWS', 300_000);
const pbkdf2Iterations = envInt('PBKDF2_ITERATIONS', 210_000);
const pbkdf2 = promisify(crypto.pbkdf2);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-target-report-'));
const salesFile = path.join(dataDir, 'sales.csv');

function writeSalesFile() {
  const regions = ['eu', 'us', 'ap', 'latam'];
  const stream = fs.createWriteStream(salesFile);
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    const batch = [];
    for (let i = 0; i < reportRows; i += 1) {
      batch.push(`${i},2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},${regions[i % 4]},sku-${i % 5000},${((i * 7919) % 100_000) / 100}\n`);
      if (batch.length === 10_000) stream.write(batch.splice(0).join(''));
    }
    stream.end(batch.join(''));
  });
}

function addSale(totals, line) {
  const fields = line.split(',');
  if (fields.length < 5) return;
  totals[fields[2]] = (totals[fields[2]] ?? 0) + Number(fields[4]);
}

function reportBuggy() {
  const totals = {};
  for (const line of fs.readFileSync(salesFile, 'utf8').split('\n')) addSale(totals, line);
  return totals;
}

async function reportFixed() {
  const totals = {};
  const lines = readline.createInterface({ input: fs.createReadStream(salesFile, { highWaterMark: 64 * 1024 }), crlfDelay: Infinity });
  for await (const line of lines) addSale(totals, line);
  return totals;
}

const users = new Map();

async function createUser(name, password) {
  const salt = crypto.randomBytes(16);
  users.set(name, { salt, hash: await pbkdf2(password, salt, pbkdf2Iterations, 64, 'sha512') });
}

async function verifyPassword(name, password) {
  const user = users.get(name);
  // Unknown users still pay for a hash, so timing does not tell which names exist.
  const salt = user?.salt ?? Buffer.alloc(16);
  const hash =
    variant === 'fixed' ? await pbkdf2(password, salt, pbkdf2Iterations, 64, 'sha512') : crypto.pbkdf2Sync(password, salt, pbkdf2Iterations, 64, 'sha512');
  return user !== undefined && crypto.timingSafeEqual(hash, user.hash);
}

const wordsPattern = variant === 'fixed' ? /^(?:\w+(?:\s\w+)*\s?)?$/ : /^(\w+\s?)*$/;
const catalogue = Array.from({ length: 2000 }, (_, i) => `product ${i} ${['red', 'blue', 'green', 'black'][i % 4]} ${['shirt', 'mug', 'lamp', 'chair', 'desk'][i % 5]}`);

function search(q) {
  if (q.length > 256) throw new HttpError(400, 'q is longer than 256 characters');
  if (!wordsPattern.test(q)) throw new HttpError(400, 'q must be words separated by single spaces');
  const words = q.toLowerCase().split(' ').filter(Boolean);
  return catalogue.filter((title) => words.every((word) => title.includes(word))).slice(0, 20);
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function loopDelayStats(reset) {
  const stats = { maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 };
  if (reset) loopDelay.reset();
  return stats;
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  ['GET', '/report', async () => ({ totals: variant === 'fixed' ? await reportFixed() : reportBuggy() })],
  [
    'POST',
    '/login',
    async ({ req }) => {
      const { user, password } = await readJson(req);
      if (typeof user !== 'string' || typeof password !== 'string') throw new HttpError(400, 'expected {user, password}');
      if (!(await verifyPassword(user, password))) throw new HttpError(401, 'wrong user or password');
      return { user, token: crypto.randomBytes(16).toString('hex') };
    },
  ],
  ['GET', '/search', ({ query }) => ({ results: search(query.get('q') ?? '') })],
  ['GET', '/stats', ({ query }) => ({ variant, eventLoopDelay: loopDelayStats(query.get('reset') === '1') })],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  ['loop monitor', () => loopDelay.disable()],
]);
// On any exit, a crash included, the multi-MB file goes.
process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));

Promise.all([writeSalesFile(), createUser('demo', 'demo-password')])
  .then(() => listen(server))
  .then((port) => console.log(`event-loop-block (${variant}) listening on 127.0.0.1:${port}`));
