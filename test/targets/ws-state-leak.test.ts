import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../helpers/processes.js';
import { getJson, startTarget, stopAllTargets, type RunningTarget, type Variant } from '../helpers/targets.js';

interface Stats {
  connections: number;
  registry: number;
  rooms: number;
  memberships: number;
  timeoutHandles: number;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.type !== type) return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
}

/** `peers` clients join one room, type, chat and ping, then all disconnect; returns /stats once no connection is left. */
async function churn(target: RunningTarget, peers: number): Promise<Stats> {
  const url = `ws://127.0.0.1:${target.port}/`;
  const sockets = await Promise.all(Array.from({ length: peers }, () => open(url)));
  for (const socket of sockets) {
    const joined = nextMessage(socket, 'joined');
    socket.send(JSON.stringify({ type: 'join', room: 'lobby' }));
    await joined;
    socket.send(JSON.stringify({ type: 'typing', room: 'lobby' }));
  }
  const heardByLast = nextMessage(sockets.at(-1)!, 'msg');
  sockets[0]!.send(JSON.stringify({ type: 'msg', room: 'lobby', text: 'hello' }));
  expect(await heardByLast).toMatchObject({ room: 'lobby', text: 'hello' });
  const pong = nextMessage(sockets[0]!, 'pong');
  sockets[0]!.send(JSON.stringify({ type: 'ping', id: 42 }));
  expect(await pong).toEqual({ type: 'pong', id: 42 });

  const whileOpen = (await getJson<Stats>(`${target.url}/stats`)).body;
  expect(whileOpen).toMatchObject({ connections: peers, registry: peers, memberships: peers });
  expect(whileOpen.timeoutHandles).toBeGreaterThanOrEqual(peers);

  for (const socket of sockets) socket.close();
  let stats = whileOpen;
  await waitFor(async () => {
    stats = (await getJson<Stats>(`${target.url}/stats`)).body;
    return stats.connections === 0;
  }, 10_000);
  return stats;
}

describe('ws-state-leak target', () => {
  afterEach(stopAllTargets);

  const start = (variant: Variant) => startTarget('ws-state-leak', { variant, env: { TYPING_INTERVAL_MS: '200' } });

  it('buggy keeps every disconnected peer: registry entry, room membership and typing interval', async () => {
    const stats = await churn(await start('buggy'), 20);
    expect(stats).toMatchObject({ connections: 0, registry: 20, memberships: 20 });
    expect(stats.timeoutHandles).toBeGreaterThanOrEqual(20);
  });

  it('fixed forgets a peer on disconnect: registry, rooms and intervals back to zero', async () => {
    const stats = await churn(await start('fixed'), 20);
    expect(stats).toMatchObject({ connections: 0, registry: 0, rooms: 0, memberships: 0, timeoutHandles: 0 });
  });

  it('exits 0 on SIGTERM with clients still connected', async () => {
    const target = await start('buggy');
    const socket = await open(`ws://127.0.0.1:${target.port}/`);
    socket.send(JSON.stringify({ type: 'typing', room: 'lobby' }));
    expect(await target.stop()).toEqual({ code: 0, signal: null });
  });
});
