// Presence / chat rooms over WebSocket (seed 001 #3: "leaked per disconnect: 43 KB average";
// seed 000 #4: peers registered with a coordinator and never unregistered).
//
// Protocol (JSON text frames):
//   {type:'join', room}            -> {type:'joined', room, members}
//   {type:'msg', room, text}       -> {type:'msg', room, text, from} to every member of the room (sender included)
//   {type:'ping', id}              -> {type:'pong', id}   (lets a load driver time round trips)
//   {type:'typing', room}          -> {type:'typing', room, from} to the room, every second for 3 s
// Every connection gets a registry entry with a 40 KB resume buffer (replayed if the client
// reconnects), its room memberships, and a typing-indicator interval started on connect.
//
// buggy: on close the peer is only marked offline ("last seen"); its registry entry and buffer,
//        its room memberships and its typing interval all stay. Memory (external/RSS) and Timeout
//        handles grow with every disconnect; room broadcasts walk ever-longer member sets.
// fixed: close and error remove the peer from every room, clear its interval and delete its entry.
const { randomUUID } = require('node:crypto');
const { WebSocketServer } = require('ws');
const { createHttpServer } = require('../lib/http.js');
const { closeServer, envInt, listen, onShutdown, readVariant } = require('../lib/lifecycle.js');

const variant = readVariant();
const resumeBufferBytes = envInt('RESUME_BUFFER_BYTES', 40 * 1024);
const typingIntervalMs = envInt('TYPING_INTERVAL_MS', 1000);

/** peerId -> { socket, rooms, resumeBuffer, typingTimer, typing, online, lastSeen } */
const peers = new Map();
/** room -> Set of peerIds */
const rooms = new Map();

function send(peer, message) {
  if (peer.socket.readyState === peer.socket.OPEN) peer.socket.send(JSON.stringify(message));
}

function broadcast(room, message) {
  for (const peerId of rooms.get(room) ?? []) {
    const peer = peers.get(peerId);
    if (peer) send(peer, message);
  }
}

function join(peerId, room) {
  if (!rooms.has(room)) rooms.set(room, new Set());
  rooms.get(room).add(peerId);
  peers.get(peerId).rooms.add(room);
  return rooms.get(room).size;
}

/** Re-announces a typing peer every interval, so late joiners see it; quiet 3 s after the last keystroke. */
function startTypingIndicator(peerId) {
  return setInterval(() => {
    const peer = peers.get(peerId);
    if (peer?.typing && Date.now() - peer.typing.since < 3000) broadcast(peer.typing.room, { type: 'typing', room: peer.typing.room, from: peerId });
  }, typingIntervalMs);
}

function disconnectBuggy(peerId) {
  // Kept for "last seen"; rooms, timer and buffer were meant to be cleaned by a sweep nobody wrote.
  const peer = peers.get(peerId);
  peer.online = false;
  peer.lastSeen = Date.now();
}

function disconnectFixed(peerId) {
  const peer = peers.get(peerId);
  if (!peer) return;
  clearInterval(peer.typingTimer);
  for (const room of peer.rooms) {
    const members = rooms.get(room);
    members?.delete(peerId);
    if (members?.size === 0) rooms.delete(room);
  }
  peers.delete(peerId);
}

const disconnect = variant === 'fixed' ? disconnectFixed : disconnectBuggy;

function handleMessage(peerId, data) {
  let message;
  try {
    message = JSON.parse(data.toString('utf8'));
  } catch {
    return send(peers.get(peerId), { type: 'error', error: 'frames must be JSON' });
  }
  const room = typeof message.room === 'string' ? message.room.slice(0, 64) : undefined;
  switch (message.type) {
    case 'ping':
      return send(peers.get(peerId), { type: 'pong', id: message.id });
    case 'join':
      if (!room) break;
      return send(peers.get(peerId), { type: 'joined', room, members: join(peerId, room) });
    case 'msg':
      if (!room || typeof message.text !== 'string') break;
      return broadcast(room, { type: 'msg', room, text: message.text.slice(0, 2000), from: peerId });
    case 'typing':
      if (!room) break;
      peers.get(peerId).typing = { room, since: Date.now() };
      return broadcast(room, { type: 'typing', room, from: peerId });
  }
  send(peers.get(peerId), { type: 'error', error: `cannot handle ${JSON.stringify(message.type)} without its fields` });
}

const server = createHttpServer([
  ['GET', '/health', () => ({ ok: true, variant })],
  [
    'GET',
    '/stats',
    () => {
      let memberships = 0;
      for (const members of rooms.values()) memberships += members.size;
      const timeoutHandles = process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
      return { variant, connections: wss.clients.size, registry: peers.size, rooms: rooms.size, memberships, timeoutHandles };
    },
  ],
]);

const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 });
wss.on('connection', (socket) => {
  const peerId = randomUUID();
  peers.set(peerId, {
    socket,
    rooms: new Set(),
    resumeBuffer: Buffer.alloc(resumeBufferBytes),
    typingTimer: startTypingIndicator(peerId),
    typing: undefined,
    online: true,
    lastSeen: Date.now(),
  });
  socket.on('message', (data) => handleMessage(peerId, data));
  socket.on('close', () => disconnect(peerId));
  socket.on('error', (error) => {
    console.error(`peer ${peerId}: ${error.message}`);
    disconnect(peerId);
  });
});

onShutdown([
  ['websocket clients', () => {
    for (const client of wss.clients) client.terminate();
    for (const peer of peers.values()) clearInterval(peer.typingTimer);
    return new Promise((resolve) => wss.close(() => resolve()));
  }],
  ['http server', () => closeServer(server)],
]);

listen(server).then((port) => console.log(`ws-state-leak (${variant}) listening on 127.0.0.1:${port}`));
