import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { requireRunDir } from './meta.js';
import { MalformedRecords, parseRecord } from './record-schema.js';
import { RunFiles, type RunRecord } from './records.js';

type Kind = RunRecord['kind'];

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

/**
 * A file's records in order. A line that is not a record of the file's kind (cut short by a killed
 * run, or of the wrong shape) is skipped and counted in `malformed`.
 */
function* recordsOf(file: string, kind: Kind, malformed: MalformedRecords): Generator<RunRecord> {
  let lineNumber = 0;
  for (const raw of linesOf(file)) {
    lineNumber += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0) continue;
    if (kind === 'probe') {
      const sample = parseRecord('probe', line, lineNumber, malformed);
      if (sample) yield { kind, sample };
    } else if (kind === 'load') {
      const interval = parseRecord('load', line, lineNumber, malformed);
      if (interval) yield { kind, interval };
    } else {
      const event = parseRecord('event', line, lineNumber, malformed);
      if (event) yield { kind, event };
    }
  }
  malformed.end(lineNumber);
}

/**
 * Streams a run's records, all files merged in time order (each file is appended as its records
 * arrive, so each is in time order already), one at a time: memory does not grow with the run.
 * Returns one line per file with records skipped as malformed ("3 malformed records skipped in
 * load.ndjson (first at line 17)").
 */
export async function readRecords(dir: string, visit: (record: RunRecord) => void): Promise<string[]> {
  requireRunDir(dir);
  const files: [string, Kind][] = [
    [RunFiles.probe, 'probe'],
    [RunFiles.load, 'load'],
    [RunFiles.events, 'event'],
    // Appended by the target's children themselves as they exit.
    [RunFiles.childExits, 'event'],
  ];
  const tallies = files.map(([file]) => new MalformedRecords(file));
  const sources = files.map(([file, kind], index) => recordsOf(join(dir, file), kind, tallies[index]!));
  const heads = sources.map((source) => source.next().value as RunRecord | undefined);
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i += 1) {
      const head = heads[i];
      if (!head) continue;
      const best = pick >= 0 ? heads[pick]! : undefined;
      if (!best || timeOf(head) < timeOf(best) || (timeOf(head) === timeOf(best) && ORDER[head.kind] < ORDER[best.kind])) pick = i;
    }
    if (pick < 0) break;
    visit(heads[pick]!);
    heads[pick] = sources[pick]!.next().value as RunRecord | undefined;
  }
  return tallies.flatMap((tally) => tally.message() ?? []);
}

/** A file's events, for the quick looks that precede (or replace) a full read: what is malformed is the full read's news. */
function* eventsOf(dir: string): Generator<RunRecord> {
  yield* recordsOf(join(dir, RunFiles.events), 'event', new MalformedRecords(RunFiles.events));
}

/** Services that recorded that they were ready (targets soak waits for); read before the rest. */
export async function readyServices(dir: string): Promise<Set<string>> {
  const ready = new Set<string>();
  for (const record of eventsOf(dir)) {
    if (record.kind === 'event' && record.event.type === 'service-ready') ready.add(record.event.service);
  }
  return ready;
}

/** Whether the run's run-end record has reached disk: false while it goes on (or after soak was killed). */
export async function runHasEnded(dir: string): Promise<boolean> {
  for (const record of eventsOf(dir)) {
    if (record.kind === 'event' && record.event.type === 'run-end') return true;
  }
  return false;
}
