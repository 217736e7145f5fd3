// The accuracy corpus's target: one small service whose memory, handles and connections are set by
// parameters (params.js), and which keeps its own account of them (truth.js) to check soak against.
//
// GET /health      200
// GET /            the work: waits RESPONSE_DELAY_MS, retains RETAIN_PER_REQUEST, searches the index
// GET /__truth     { start, now }: parameters, limits and the current sample (?gc=1 collects first when --expose-gc)
// ws  /            echo (WS=1)
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import lifecycle from '../../../targets/lib/lifecycle.js';
import { buildIndex, searcher } from './big-index.js';
import { connectionState } from './connections.js';
import { startPacer } from './pacer.js';
import { readParams } from './params.js';
import { createRetainer } from './retainers.js';
import { startTruth } from './truth.js';

const { closeServer, listen, onShutdown } = lifecycle;
const params = readParams();

const index = params.indexMB > 0 ? buildIndex(params.indexMB) : undefined;
const search = index ? searcher(index, params.resultCache) : undefined;
const retainer = createRetainer(params.retain);
const connections = connectionState(params.connStateBytes);
let requests = 0;
let handlerMaxMs = 0;

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The synchronous part of a request, timed: the service has no blocking code, and the truth shows it. */
function work() {
  const started = performance.now();
  requests += 1;
  if (retainer && params.perRequest > 0) retainer.add(params.perRequest);
  const found = search ? search() : 0;
  handlerMaxMs = Math.max(handlerMaxMs, performance.now() - started);
  return { ok: true, n: requests, found };
}

let truth;
const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method !== 'GET') return json(res, 405, { error: 'GET only' });
  if (url.pathname === '/health') return json(res, 200, { ok: true });
  if (url.pathname === '/__truth') {
    if (url.searchParams.get('gc') === '1') globalThis.gc?.();
    return json(res, 200, { start: truth.start, now: truth.sample() });
  }
  if (url.pathname !== '/') return json(res, 404, { error: `no route ${url.pathname}` });
  if (params.responseDelayMs > 0) await sleep(params.responseDelayMs);
  json(res, 200, work());
});
server.on('connection', (socket) => connections.attach(socket));

const ws = params.ws ? new WebSocketServer({ server, perMessageDeflate: false }) : undefined;
ws?.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })));

const pacer = retainer && params.perHour > 0 ? startPacer(retainer, params) : undefined;
truth = startTruth({ params, retainer, pacer, connections, ws, index, requests: () => requests, handlerMaxMs: () => handlerMaxMs });

listen(server).then((port) => console.log(`corpus target (${params.retain}, ${params.shape}) listening on 127.0.0.1:${port}`));
onShutdown([
  ['truth', () => truth.stop()],
  ['pacing', () => pacer?.stop()],
  ['retained handles', () => (params.retain === 'timers' || params.retain === 'sockets' ? (retainer.close ?? retainer.releaseAll).call(retainer) : undefined)],
  [
    'websocket server',
    () => {
      for (const client of ws?.clients ?? []) client.terminate();
      return ws && new Promise((resolve) => ws.close(resolve));
    },
  ],
  ['http server', () => closeServer(server)],
]);
