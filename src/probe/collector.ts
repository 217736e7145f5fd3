import { createServer, type Socket } from 'node:net';
import { compiledAsset } from '../core/paths.js';
import type { NodeProbeSample } from '../store/records.js';

/** The preload, compiled: targets run plain node, so it is taken from dist/ also when soak runs from its sources. */
export const preloadPath = compiledAsset('probe/preload.cjs');

/** A sample is a few hundred bytes; a longer line is garbage or a peer that is not the probe. */
const maxLineBytes = 256 * 1024;

export interface ProbeCollector {
  /** "127.0.0.1:PORT", what SOAK_PROBE is set to. */
  address: string;
  close(): Promise<void>;
}

/**
 * The harness's end of the probe: a TCP server on loopback reading one NodeProbeSample per line
 * from every probed process. Lines that are not samples are skipped; nothing a peer sends can
 * make it throw or grow without bound.
 */
export async function startProbeCollector(onSample: (sample: NodeProbeSample) => void): Promise<ProbeCollector> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    readLines(socket, (line) => {
      const sample = parseSample(line);
      if (sample) onSample(sample);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Splits a stream into lines, keeping a partial line for the next chunk and skipping any line longer than maxLineBytes. */
function readLines(socket: Socket, onLine: (line: string) => void): void {
  let pending = '';
  let skipping = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const line = pending + chunk.slice(start, end);
      pending = '';
      if (!skipping) onLine(line);
      skipping = false;
      start = end + 1;
    }
    if (skipping) return;
    pending += chunk.slice(start);
    if (pending.length > maxLineBytes) {
      pending = '';
      skipping = true;
    }
  });
}

function parseSample(line: string): NodeProbeSample | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const sample = value as Partial<NodeProbeSample>;
  const ok =
    sample.source === 'node' &&
    typeof sample.t === 'number' &&
    typeof sample.service === 'string' &&
    typeof sample.pid === 'number' &&
    typeof sample.memory === 'object' &&
    sample.memory !== null &&
    typeof sample.eventLoop === 'object' &&
    sample.eventLoop !== null;
  return ok ? (sample as NodeProbeSample) : undefined;
}

/**
 * Env vars that load the probe into a Node target and point it at the collector. NODE_OPTIONS
 * keeps whatever the target already had; the path is quoted in case soak lives under a path with spaces.
 */
export function probeEnv(collectorAddress: string, service: string, intervalMs: number, existingNodeOptions?: string): Record<string, string> {
  const require = `--require "${preloadPath}"`;
  return {
    SOAK_PROBE: collectorAddress,
    SOAK_SERVICE: service,
    SOAK_PROBE_INTERVAL_MS: String(intervalMs),
    NODE_OPTIONS: existingNodeOptions?.trim() ? `${existingNodeOptions.trim()} ${require}` : require,
  };
}
