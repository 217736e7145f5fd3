import { performance } from 'node:perf_hooks';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A request from the harness, one JSON line on the probe's socket. */
export interface ProbeCommand {
  id: number;
  cmd: string;
  [field: string]: unknown;
}

/** The probe's answer, one JSON line back: `reply` is the command's id. */
export interface ProbeReply {
  reply: number;
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

/** What a command may use of the probe. */
export interface CommandContext {
  /** Runs work that stops the process, keeping the stall out of the target's own figures. */
  holdStill<T>(work: () => T): T;
}

type Handler = (command: ProbeCommand, context: CommandContext) => Record<string, unknown>;

let collectGarbage: (() => void) | undefined;

/**
 * V8's full collection. The flag is set only when first asked, so a target nobody asks keeps its
 * flags as started; a context made after it gets the `gc` global, and the function works from anywhere.
 */
function fullGc(): () => void {
  if (!collectGarbage) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collectGarbage = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collectGarbage = runInNewContext('gc') as () => void;
    }
  }
  return collectGarbage;
}

/**
 * What the harness may ask of a probed process, by name. `heap-snapshot` writes V8's heap
 * snapshot to the given file: synchronous, so the target stands still while it runs (seconds for
 * a heap of hundreds of MB), which is why the harness asks for few and says when. `full-gc` runs a
 * major collection, so the next sample carries a post-GC heap reading: the harness asks for one when
 * the heap's floor grows like a leak and V8, still raising its limit, has run no major GC to tell.
 */
const handlers = new Map<string, Handler>([
  [
    'heap-snapshot',
    (command, context) => {
      const path = command.path;
      if (typeof path !== 'string' || !path.endsWith('.heapsnapshot')) throw new Error('heap-snapshot needs a path ending in .heapsnapshot');
      const started = performance.now();
      context.holdStill(() => writeHeapSnapshot(path));
      return { ms: Math.round(performance.now() - started) };
    },
  ],
  [
    'full-gc',
    (_command, context) => {
      const collect = fullGc();
      const started = performance.now();
      context.holdStill(collect);
      return { ms: Math.round(performance.now() - started) };
    },
  ],
]);

/** Runs one command line; the reply line to send, or undefined for a line that is no command. */
export function runCommand(line: string, context: CommandContext): string | undefined {
  let command: ProbeCommand;
  try {
    command = JSON.parse(line) as ProbeCommand;
  } catch {
    return undefined;
  }
  if (typeof command !== 'object' || command === null || typeof command.id !== 'number' || typeof command.cmd !== 'string') return undefined;
  let reply: ProbeReply;
  try {
    const handler = handlers.get(command.cmd);
    if (!handler) throw new Error(`unknown command "${command.cmd}"`);
    reply = { ...handler(command, context), reply: command.id, ok: true };
  } catch (error) {
    reply = { reply: command.id, ok: false, error: String((error as Error)?.message ?? error) };
  }
  return `${JSON.stringify(reply)}\n`;
}
