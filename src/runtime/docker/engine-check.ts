import { request } from 'node:http';

/** Where the Docker engine is looked for: DOCKER_HOST, else the standard socket. */
export function engineAddress(): string {
  return process.env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
}

const reasons: Record<string, string> = {
  ENOENT: 'the socket does not exist: dockerd is not running',
  ECONNREFUSED: 'nothing accepts connections there: dockerd is not running',
  EACCES: 'permission denied on the socket: run as root or as a member of the docker group',
  ETIMEDOUT: 'no answer within 3s',
  ENOTFOUND: 'the host name does not resolve',
};

/**
 * Why the engine at `address` cannot be used, from a GET /_ping; undefined when it answers.
 * Only asked once testcontainers has failed to connect, to say why in words a user can act on.
 */
export function whyNoEngine(address = engineAddress()): Promise<string | undefined> {
  let target: { socketPath: string } | { host: string; port: number };
  if (address.startsWith('unix://')) target = { socketPath: address.slice('unix://'.length) };
  else if (address.startsWith('tcp://')) {
    const url = new URL(address.replace(/^tcp:/, 'http:'));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else return Promise.resolve(`unsupported address (expected unix:// or tcp://)`);
  return new Promise((resolve) => {
    const ping = request({ ...target, path: '/_ping', timeout: 3000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? undefined : `it answered /_ping with HTTP ${response.statusCode}`);
    });
    ping.once('timeout', () => ping.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    ping.once('error', (error: NodeJS.ErrnoException) => resolve(reasons[error.code ?? ''] ?? error.code ?? error.message));
    ping.end();
  });
}
