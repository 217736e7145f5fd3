import { createServer, type Socket } from 'node:net';
import { parseLine, readLines } from '../core/json-lines.js';
import { compiledAsset } from '../core/paths.js';
import { SoakError } from '../core/errors.js';
import type { NodeProbeSample } from '../store/records.js';
import type { ProbeReply } from './commands.cjs';

/** The preload, compiled: targets run plain node, so it is taken from dist/ also when soak runs from its sources. */
export const preloadPath = compiledAsset('probe/preload.cjs');

/** A sample is a few hundred bytes; a longer line is garbage or a peer that is not the probe. */
const MAX_LINE_BYTES = 256 * 1024;

export interface ProbeCollector {
  /** "127.0.0.1:PORT", what SOAK_PROBE is set to. */
  address: string;
  /**
   * Sends a command (see commands.cts) to the probe of process `pid` and waits for its reply. Fails
   * with a SoakError when no probe of that pid is connected, its connection ends, or no reply comes
   * within `timeoutMs`; a reply with ok: false is returned as it is.
   */
  request(pid: number, command: { cmd: string } & Record<string, unknown>, timeoutMs: number): Promise<ProbeReply>;
  /**
   * Takes a connection accepted elsewhere (a remote probe the coordinator authenticated); gives what
   * reads its lines. `retime` gives each sample's time in this machine's clock from the probe's.
   */
  accept(socket: Socket, retime?: (t: number) => number): (line: string) => void;
  close(): Promise<void>;
}

interface Pending {
  socket: Socket;
  resolve(reply: ProbeReply): void;
  reject(error: Error): void;
}

/**
 * The harness's end of the probe: a TCP server on loopback reading one NodeProbeSample per line
 * from every probed process, and the replies to the commands it sends them. Lines that are
 * neither are skipped; nothing a peer sends can make it throw or grow without bound.
 */
export async function startProbeCollector(onSample: (sample: NodeProbeSample) => void): Promise<ProbeCollector> {
  const sockets = new Set<Socket>();
  /** The connection each process's samples arrive on: where its commands go. */
  const socketOfPid = new Map<number, Socket>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  /** Takes a probe's connection: its lines from now on are samples and replies. */
  const accept = (socket: Socket, retime?: (t: number) => number): ((line: string) => void) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      for (const [pid, owner] of socketOfPid) if (owner === socket) socketOfPid.delete(pid);
      for (const [id, request] of pending) {
        if (request.socket !== socket) continue;
        pending.delete(id);
        request.reject(new SoakError('runtime', 'the probed process closed its connection before answering'));
      }
    });
    socket.on('error', () => socket.destroy());
    return (line) => {
      const value = parseLine(line);
      const sample = parseSample(value);
      if (sample) {
        if (retime) sample.t = retime(sample.t);
        socketOfPid.set(sample.pid, socket);
        onSample(sample);
        return;
      }
      const reply = parseReply(value);
      const request = reply ? pending.get(reply.reply) : undefined;
      if (!reply || request?.socket !== socket) return;
      pending.delete(reply.reply);
      request.resolve(reply);
    };
  };
  const server = createServer((socket) => readLines(socket, accept(socket), MAX_LINE_BYTES));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    accept,
    request(pid, command, timeoutMs) {
      const socket = socketOfPid.get(pid);
      if (!socket) return Promise.reject(new SoakError('runtime', `no probe connected for pid ${pid}`));
      const id = nextId++;
      return new Promise<ProbeReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new SoakError('runtime', `the probe of pid ${pid} did not answer "${command.cmd}" within ${Math.round(timeoutMs / 1000)}s`));
        }, timeoutMs);
        const settle = <T>(finish: (value: T) => void) => (value: T) => {
          clearTimeout(timer);
          finish(value);
        };
        pending.set(id, { socket, resolve: settle(resolve), reject: settle(reject) });
        socket.write(`${JSON.stringify({ ...command, id })}\n`);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseReply(value: unknown): ProbeReply | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const reply = value as Partial<ProbeReply>;
  return typeof reply.reply === 'number' && typeof reply.ok === 'boolean' ? (reply as ProbeReply) : undefined;
}

function parseSample(value: unknown): NodeProbeSample | undefined {
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
export function probeEnv(
  collectorAddress: string,
  service: string,
  intervalMs: number,
  existingNodeOptions?: string,
  /** Where the target's node children append their exit records (see child-exits.cts). */
  childExitsFile?: string,
): Record<string, string> {
  const require = `--require "${preloadPath}"`;
  return {
    ...(childExitsFile ? { SOAK_CHILD_EXITS: childExitsFile } : {}),
    SOAK_PROBE: collectorAddress,
    SOAK_SERVICE: service,
    SOAK_PROBE_INTERVAL_MS: String(intervalMs),
    NODE_OPTIONS: existingNodeOptions?.trim() ? `${existingNodeOptions.trim()} ${require}` : require,
  };
}
