import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { requireRunDir } from './meta.js';
import { RunFiles, type LoadInterval, type ProbeSample, type RunEvent, type RunRecord } from './records.js';

type Kind = RunRecord['kind'];

/**
 * One line of a records file as a record; undefined for a line that is not one (the last line of a
 * run killed mid-write). The one place a record's shape is read.
 */
export function parseRecord(kind: Kind, line: string): RunRecord | undefined {
  if (line.length === 0) return undefined;
  try {
    const value = JSON.parse(line) as { t?: unknown };
    if (typeof value !== 'object' || value === null || typeof value.t !== 'number') return undefined;
    if (kind === 'probe') return { kind, sample: value as ProbeSample };
    if (kind === 'load') return { kind, interval: value as LoadInterval };
    return { kind, event: value as RunEvent };
  } catch {
    return undefined;
  }
}

const timeOf = (record: RunRecord) => (record.kind === 'probe' ? record.sample.t : record.kind === 'load' ? record.interval.t : record.event.t);
/** At one time, events first: a phase or a fault is known before the records it shapes. */
const ORDER: Record<Kind, number> = { event: 0, probe: 1, load: 2 };

const CHUNK_BYTES = 1 << 16;

/**
 * A file's lines, read a chunk at a time and handed over one by one as they are needed: nothing is
 * queued ahead of the reader, so memory holds one chunk per file however long the run.
 */
function* linesOf(file: string): Generator<string> {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const lines = (rest + decoder.write(chunk.subarray(0, read))).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

function* recordsOf(file: string, kind: Kind): Generator<RunRecord> {
  for (const line of linesOf(file)) {
    const record = parseRecord(kind, line.endsWith('\r') ? line.slice(0, -1) : line);
    if (record) yield record;
  }
}

/**
 * Streams a run's records, all files merged in time order (each file is appended as its records
 * arrive, so each is in time order already), one at a time: memory does not grow with the run.
 */
export async function readRecords(dir: string, visit: (record: RunRecord) => void): Promise<void> {
  requireRunDir(dir);
  const sources = [
    recordsOf(join(dir, RunFiles.events), 'event'),
    // Appended by the target's children themselves as they exit.
    recordsOf(join(dir, RunFiles.childExits), 'event'),
    recordsOf(join(dir, RunFiles.probe), 'probe'),
    recordsOf(join(dir, RunFiles.load), 'load'),
  ];
  const heads = sources.map((source) => source.next().value as RunRecord | undefined);
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i += 1) {
      const head = heads[i];
      if (!head) continue;
      const best = pick >= 0 ? heads[pick]! : undefined;
      if (!best || timeOf(head) < timeOf(best) || (timeOf(head) === timeOf(best) && ORDER[head.kind] < ORDER[best.kind])) pick = i;
    }
    if (pick < 0) return;
    visit(heads[pick]!);
    heads[pick] = sources[pick]!.next().value as RunRecord | undefined;
  }
}

/** Services that recorded that they were ready (targets soak waits for); read before the rest. */
export async function readyServices(dir: string): Promise<Set<string>> {
  const ready = new Set<string>();
  for (const record of recordsOf(join(dir, RunFiles.events), 'event')) {
    if (record.kind === 'event' && record.event.type === 'service-ready') ready.add(record.event.service);
  }
  return ready;
}

/** Whether the run's run-end record has reached disk: false while it goes on (or after soak was killed). */
export async function runHasEnded(dir: string): Promise<boolean> {
  for (const record of recordsOf(join(dir, RunFiles.events), 'event')) {
    if (record.kind === 'event' && record.event.type === 'run-end') return true;
  }
  return false;
}
