import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP server on 127.0.0.1 that runs `onSocket` per connection; `close` destroys what is still open. */
export async function tcpServer(onSocket: (socket: Socket) => void): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    server,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const echo = (socket: Socket) => socket.pipe(socket);

export function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      // Tests look for resets with their own listeners; an unobserved one must not crash the run.
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves with the bytes received once `count` have arrived (or on end/close with what came). */
export function receive(socket: Socket, count: number, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let length = 0;
    const finish = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', finish);
      socket.off('close', finish);
      resolve(Buffer.concat(parts));
    };
    const onData = (data: Buffer) => {
      parts.push(data);
      length += data.length;
      if (length >= count) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', onData);
    socket.once('end', finish);
    socket.once('close', finish);
  });
}

/** Milliseconds for one small message to go through an echo and back. */
export async function roundTrip(socket: Socket, payload = 'ping'): Promise<number> {
  const started = performance.now();
  socket.write(payload);
  await receive(socket, Buffer.byteLength(payload));
  return performance.now() - started;
}

/** How a socket ended: 'reset' for ECONNRESET, 'end' for a FIN, 'open' while neither came within the wait. */
export function howItEnds(socket: Socket, timeoutMs: number): Promise<'reset' | 'end' | 'error' | 'open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('open'), timeoutMs);
    socket.resume();
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNRESET' ? 'reset' : 'error');
    });
    socket.once('end', () => {
      clearTimeout(timer);
      resolve('end');
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
