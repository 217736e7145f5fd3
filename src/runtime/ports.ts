import { connect, createServer } from 'node:net';
import { SoakError } from '../core/errors.js';

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function assertPortFree(port: number, field: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SoakError('runtime', error.code === 'EADDRINUSE' ? `${field}: port ${port} is already in use on 127.0.0.1` : `${field}: cannot use port ${port}: ${error.message}`),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

/**
 * Polls until the port accepts connections (and the path answers below 500, when given).
 * Resolves false on timeout or as soon as `gone` settles, so a service that dies on start fails fast.
 */
export async function waitUntilReady(options: { port: number; path?: string; timeoutMs: number; gone: Promise<unknown> }): Promise<boolean> {
  let stopped = false;
  void options.gone.then(() => (stopped = true));
  const deadline = Date.now() + options.timeoutMs;
  while (!stopped && Date.now() < deadline) {
    const ready = (await acceptsConnections(options.port)) && (options.path === undefined || (await answersHttp(`http://127.0.0.1:${options.port}${options.path}`)));
    if (ready && !stopped) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
