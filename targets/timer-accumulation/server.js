// Sessions, each with a realtime client that refreshes its token on a timer and a subscription
// to the user's job feed (seed 003 #1: client singletons with autoRefreshToken timers that never
// stop; seed 003 #2: realtime subscriptions accumulating in a Map; seed 000 #9: timers never cleared).
//
// POST   /session {user}   -> {id}: opens a realtime client (refresh interval) and a subscription
// GET    /session/:id      -> the session with its client's refresh count
// DELETE /session/:id      -> logout
// GET    /stats            -> sessions, subscriptions, refresh timers, active Timeout handles
// Sessions idle for SESSION_TTL_MS (default 30 s) expire, swept by one shared timer.
//
// buggy: logout and expiry only delete the session record. The realtime client's refresh interval
//        keeps running (and keeps the client, its auth state and its 16 KB feed buffer alive) and
//        its subscription stays in the Map: Timeout handles and heap grow with every session.
// fixed: logout and expiry close the client (clearInterval) and unsubscribe it.
const { randomUUID } = require('node:crypto');
const { HttpError, createHttpServer, readJson } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant } = require('../lib/lifecycle.js');

const variant = readVariant();
const refreshMs = envInt('REFRESH_MS', 5000);
const sessionTtlMs = envInt('SESSION_TTL_MS', 30_000);

let refreshTimers = 0;

/** A client of the realtime backend; like the seed's SDK client it refreshes its token on an interval. */
class RealtimeClient {
  constructor(user) {
    this.user = user;
    this.token = randomUUID();
    this.refreshes = 0;
    this.feed = Buffer.alloc(16 * 1024);
    this.auth = { user, scopes: ['jobs:read', 'jobs:write'], issuedAt: Date.now(), history: [] };
    this.refreshTimer = setInterval(() => this.refresh(), refreshMs);
    refreshTimers += 1;
  }

  refresh() {
    this.refreshes += 1;
    this.token = randomUUID();
    this.auth.history.push({ token: this.token.slice(0, 8), at: Date.now() });
    if (this.auth.history.length > 20) this.auth.history.shift();
  }

  close() {
    clearInterval(this.refreshTimer);
    refreshTimers -= 1;
  }
}

/** subscriptionId -> { channel, client, handler, createdAt } */
const subscriptions = new Map();
/** sessionId -> { user, client, subscriptionId, lastSeen } */
const sessions = new Map();

function subscribe(client) {
  const subscriptionId = `jobs:${client.user}:${randomUUID()}`;
  subscriptions.set(subscriptionId, { channel: `jobs:${client.user}`, client, handler: (event) => client.feed.write(JSON.stringify(event).slice(0, 1024)), createdAt: Date.now() });
  return subscriptionId;
}

function endSession(id) {
  const session = sessions.get(id);
  if (!session) return false;
  sessions.delete(id);
  if (variant === 'fixed') {
    session.client.close();
    subscriptions.delete(session.subscriptionId);
  }
  return true;
}

const sweeper = setInterval(() => {
  const cutoff = Date.now() - sessionTtlMs;
  for (const [id, session] of sessions) if (session.lastSeen < cutoff) endSession(id);
}, Math.min(sessionTtlMs, 5000));

function findSession(id) {
  const session = sessions.get(id);
  if (!session) throw new HttpError(404, `no session ${id}`);
  session.lastSeen = Date.now();
  return session;
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'POST',
    '/session',
    async ({ req }) => {
      const { user = 'anonymous' } = await readJson(req);
      if (typeof user !== 'string' || user.length > 64) throw new HttpError(400, 'user must be a string of at most 64 characters');
      const client = new RealtimeClient(user);
      const id = randomUUID();
      sessions.set(id, { user, client, subscriptionId: subscribe(client), lastSeen: Date.now() });
      return { id, user };
    },
  ],
  [
    'GET',
    '/session/:id',
    ({ params }) => {
      const session = findSession(params.id);
      return { id: params.id, user: session.user, refreshes: session.client.refreshes };
    },
  ],
  [
    'DELETE',
    '/session/:id',
    ({ params }) => {
      if (!endSession(params.id)) throw new HttpError(404, `no session ${params.id}`);
      return { id: params.id, ended: true };
    },
  ],
  [
    'GET',
    '/stats',
    () => ({
      variant,
      sessions: sessions.size,
      subscriptions: subscriptions.size,
      refreshTimers,
      timeoutHandles: process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length,
    }),
  ],
]);

onShutdown([
  ['http server', () => closeServer(server)],
  ['timers', () => {
    clearInterval(sweeper);
    for (const { client } of subscriptions.values()) client.close();
  }],
]);

listen(server).then((port) => console.log(`timer-accumulation (${variant}) listening on 127.0.0.1:${port}`));
