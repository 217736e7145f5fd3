import { createServer, type Socket } from 'node:net';
import { SoakError } from '../../core/errors.js';
import { isLoopback } from '../../core/loopback.js';
import { Link } from './link.js';
import type { Toxic } from './toxics.js';

export interface Upstream {
  host: string;
  port: number;
}

/** A TCP proxy on 127.0.0.1 in front of one dependency; toxics can be added and removed while it runs. */
export interface FaultProxy {
  /** The loopback port to connect to instead of the dependency's own. */
  port: number;
  upstream: Upstream;
  /** Applies to open connections and to every new one, each with probability `toxicity`; returns its id. */
  addToxic(toxic: Toxic): string;
  /** Undoes a toxic on every connection (held data flows again); unknown ids are ignored. */
  removeToxic(id: string): void;
  /** Connections open through the proxy right now. */
  connections(): number;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

function applies(toxic: Toxic): boolean {
  const toxicity = toxic.toxicity ?? 1;
  return toxicity >= 1 || Math.random() < toxicity;
}

export async function startFaultProxy(upstream: Upstream): Promise<FaultProxy> {
  if (!isLoopback(upstream.host)) {
    throw new SoakError('unsupported', `fault proxy: upstream ${upstream.host} is not a loopback address; soak only proxies to 127.0.0.1 / ::1`);
  }
  const links = new Set<Link>();
  const toxics = new Map<string, Toxic>();
  let nextId = 1;

  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client: Socket) => {
    const link = new Link(client, upstream, (closed) => links.delete(closed));
    links.add(link);
    for (const [id, toxic] of toxics) if (applies(toxic)) link.apply(id, toxic);
    client.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };

  return {
    port,
    upstream,
    addToxic(toxic) {
      const toxicity = toxic.toxicity ?? 1;
      if (!(toxicity >= 0 && toxicity <= 1)) throw new SoakError('scenario', `toxicity: expected a fraction between 0 and 1, got ${toxicity}`);
      const id = `${toxic.type}-${nextId++}`;
      toxics.set(id, toxic);
      for (const link of links) if (applies(toxic)) link.apply(id, toxic);
      return id;
    },
    removeToxic(id) {
      if (!toxics.delete(id)) return;
      for (const link of links) link.remove(id);
    },
    connections: () => links.size,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        for (const link of links) link.destroy();
      });
    },
  };
}
