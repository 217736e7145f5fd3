// What the target keeps on purpose, one kind per retainer, each counting what it holds as it takes it.
// `held` is in the kind's unit: bytes for heap and off-heap, handles for timers and sockets.
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';

/**
 * Heap cost of a flat one-byte string of `length` characters on a 64-bit V8 heap without pointer
 * compression (Node's default build): a 16-byte header (map, hash, length), the characters, aligned to
 * 8 bytes, plus the 8-byte slot of the array that keeps it.
 */
export function heapStringCost(length) {
  return Math.ceil((16 + length) / 8) * 8 + 8;
}

/** Keeps pieces made by `make(bytes)`, which returns the piece and what it costs; counts what it holds. */
function pieceRetainer(make) {
  let pieces = [];
  let held = 0;
  return {
    unit: 'bytes',
    get held() {
      return held;
    },
    get count() {
      return pieces.length;
    },
    add(bytes) {
      const { piece, cost } = make(bytes, pieces.length);
      pieces.push(piece);
      held += cost;
    },
    releaseAll() {
      pieces = [];
      held = 0;
    },
  };
}

/** Strings of random hex on the JS heap (an even number of characters: two hex digits per random byte); none shared or deduplicated. */
const heapRetainer = () =>
  pieceRetainer((bytes) => {
    const length = Math.max(2, 2 * Math.round((bytes - 24) / 2));
    return { piece: randomBytes(length / 2).toString('hex'), cost: heapStringCost(length) };
  });

/**
 * Buffers with their own backing store outside the V8 heap, every page written so it is resident.
 * allocUnsafeSlow: never a slice of the shared 8 KB pool, so each Buffer owns exactly its size.
 */
const offHeapRetainer = () =>
  pieceRetainer((bytes, index) => {
    const size = Math.max(1, Math.round(bytes));
    return { piece: Buffer.allocUnsafeSlow(size).fill((index % 255) + 1), cost: size };
  });

/** Intervals never cleared, like a per-session refresh timer nobody stops. One handle each. */
function timerRetainer() {
  let timers = [];
  let fired = 0;
  return {
    unit: 'handles',
    get held() {
      return timers.length;
    },
    get count() {
      return timers.length;
    },
    get fired() {
      return fired;
    },
    add(handles) {
      for (let i = 0; i < handles; i += 1) timers.push(setInterval(() => (fired += 1), 60_000));
    },
    releaseAll() {
      for (const timer of timers) clearInterval(timer);
      timers = [];
    },
  };
}

/**
 * TCP connections to a loopback listener of the process's own, never closed: two handles each (the
 * client socket and the accepted one), counted only once open.
 */
function socketRetainer() {
  let clients = [];
  let accepted = [];
  const listener = createServer((socket) => accepted.push(socket));
  const listening = new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    unit: 'handles',
    get held() {
      return clients.filter((socket) => socket.readyState === 'open').length + accepted.filter((socket) => !socket.destroyed).length;
    },
    get count() {
      return clients.length;
    },
    add(handles) {
      for (let i = 0; i < Math.max(1, Math.round(handles / 2)); i += 1) {
        void listening.then(() => clients.push(connect(listener.address().port, '127.0.0.1')));
      }
    },
    releaseAll() {
      for (const socket of [...clients, ...accepted]) socket.destroy();
      clients = [];
      accepted = [];
    },
    close() {
      this.releaseAll();
      listener.close();
    },
  };
}

const retainers = { heap: heapRetainer, 'off-heap': offHeapRetainer, timers: timerRetainer, sockets: socketRetainer };

/** The retainer of a kind; undefined for "none". */
export function createRetainer(kind) {
  return retainers[kind]?.();
}
