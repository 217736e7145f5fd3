import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { isBefore, RECORD_FILES, recordOf, timeOf } from './reader.js';
import { MalformedRecords } from './record-schema.js';
import { RunFiles, type RunRecord } from './records.js';

const CHUNK_BYTES = 1 << 16;
/** Records parsed ahead per file, at most: catching up with a long run reads it a slice at a time. */
const QUEUE_RECORDS = 4096;
/**
 * The run writes probe samples and load intervals at most a second after they happen (see
 * NdjsonAppender); events at once. A sample or an interval is handed over once no record of the
 * other file can still come before it: at most this long after it happened.
 */
const LAG_MS = 2500;

/** The bytes appended to a file since the last read, as whole lines: a line still being written waits for the next read. */
class FileTail {
  private offset = 0;
  private rest = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);

  constructor(readonly path: string) {}

  /** The next whole lines, a chunk's worth; none at the end of what is there. */
  read(): string[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return [];
    }
    try {
      const read = readSync(fd, this.chunk, 0, CHUNK_BYTES, this.offset);
      if (read === 0) return [];
      this.offset += read;
      const lines = (this.rest + this.decoder.write(this.chunk.subarray(0, read))).split('\n');
      this.rest = lines.pop()!;
      return lines;
    } finally {
      closeSync(fd);
    }
  }

  /** A last line with no newline: only once the file is complete (a killed run's cut-short line). */
  finish(): string[] {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    return last ? [last] : [];
  }

  /** The file is shorter than what was read of it: it was replaced (another run in the directory). */
  shrank(): boolean {
    try {
      return statSync(this.path).size < this.offset;
    } catch {
      return this.offset > 0;
    }
  }
}

interface Source {
  tail: FileTail;
  kind: RunRecord['kind'];
  /** Written up to a second late (probe samples, load intervals), rather than at once (events). */
  lags: boolean;
  malformed: MalformedRecords;
  lines: number;
  queue: RunRecord[];
  head: number;
  /** The time of the last record parsed: the next one of this file is not earlier. */
  lastT: number;
  /** Everything there was has been read. */
  drained: boolean;
}

/**
 * A run directory's records as they are appended, in the time order `readRecords` gives them:
 * each read hands over what is new since the last, and holds back what a record still on its way
 * to the other file could precede. So the facts built from it live are those built from the files
 * afterwards. Memory holds a slice of each file at most, however far behind the reader starts.
 */
export class RecordTail {
  private readonly sources: Source[];

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.sources = RECORD_FILES.map(([file, kind]) => ({
      tail: new FileTail(join(dir, file)),
      kind,
      lags: file === RunFiles.probe || file === RunFiles.load,
      malformed: new MalformedRecords(file),
      lines: 0,
      queue: [],
      head: 0,
      lastT: -Infinity,
      drained: false,
    }));
  }

  /**
   * Hands the records that are ready to `visit`, in time order; returns how many. `complete`: the run
   * is over (its files will not grow): everything goes, also a last line cut short.
   */
  read(visit: (record: RunRecord) => void, complete = false): number {
    let handed = 0;
    for (;;) {
      for (const source of this.sources) this.fill(source, complete);
      let progressed = false;
      for (;;) {
        const next = this.earliest();
        if (!next || (!complete && timeOf(next.queue[next.head]!) > this.bound())) break;
        visit(next.queue[next.head]!);
        next.head += 1;
        handed += 1;
        progressed = true;
        if (next.head === next.queue.length && !next.drained) break;
      }
      if (!progressed || this.sources.every((source) => source.drained)) return handed;
    }
  }

  /** One line per run file with records skipped as malformed so far. */
  skipped(): string[] {
    return this.sources.flatMap((source) => source.malformed.message() ?? []);
  }

  /** Whether a file is shorter than what was read of it: the directory holds another run now. */
  replaced(): boolean {
    return this.sources.some((source) => source.tail.shrank());
  }

  private fill(source: Source, complete: boolean): void {
    // What was handed over goes: some records are always held back, so the queue would never empty.
    if (source.head > 0) {
      source.queue = source.queue.slice(source.head);
      source.head = 0;
    }
    source.drained = false;
    while (source.queue.length - source.head < QUEUE_RECORDS) {
      const lines = source.tail.read();
      if (lines.length === 0) {
        if (complete) this.parse(source, source.tail.finish());
        if (complete) source.malformed.end(source.lines);
        source.drained = true;
        return;
      }
      this.parse(source, lines);
    }
  }

  private parse(source: Source, lines: string[]): void {
    for (const line of lines) {
      source.lines += 1;
      const record = recordOf(source.kind, line, source.lines, source.malformed);
      if (!record) continue;
      source.queue.push(record);
      source.lastT = Math.max(source.lastT, timeOf(record));
    }
  }

  /** The latest time a record may have to be handed over now: one of a late file with nothing queued may still come before it. */
  private bound(): number {
    let bound = Infinity;
    for (const source of this.sources) {
      if (source.lags && source.head === source.queue.length) bound = Math.min(bound, Math.max(source.lastT, this.now() - LAG_MS));
    }
    return bound;
  }

  private earliest(): Source | undefined {
    let pick: Source | undefined;
    for (const source of this.sources) {
      if (source.head === source.queue.length) {
        // More of this file may be on disk, not read yet: nothing can go before it is.
        if (!source.drained) return undefined;
        continue;
      }
      if (!pick || isBefore(source.queue[source.head]!, pick.queue[pick.head]!)) pick = source;
    }
    return pick;
  }
}
