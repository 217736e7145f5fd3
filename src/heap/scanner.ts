import { SoakError } from '../core/errors.js';

/** Receives the numbers of one flat array (`nodes`, `edges`) in order. */
export interface NumberSink {
  push(value: number): void;
}

export interface ScanHandlers {
  /** The parsed `snapshot` object (meta, node_count, edge_count), before any array. */
  header(snapshot: unknown): void;
  /** A sink for the numbers of this top-level array, or undefined to skip it. */
  numbers(section: string): NumberSink | undefined;
  /** The byte offset of the `[` that opens `strings`; the array itself is skipped (see scanStrings). */
  stringsAt(offset: number): void;
  /** True once nothing more is wanted: the scan stops reading there. */
  satisfied(): boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;

/** The header (meta) is a few kilobytes; past this the file is not a heap snapshot. */
const MAX_HEADER_BYTES = 1024 * 1024;
const MAX_KEY_BYTES = 256;

/** Arrays V8 writes as plain numbers (no nesting, no strings): skipped by looking for their `]` alone. */
const flatSections = new Set(['trace_function_infos', 'samples', 'locations']);

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

const enum State {
  Header,
  BeforeKey,
  Key,
  BeforeColon,
  BeforeValue,
  Numbers,
  SkipNumbers,
  Skip,
  Done,
}

/**
 * A push parser for the top level of a .heapsnapshot file, fed chunk by chunk so that memory is
 * the typed arrays the handlers fill, never the text (V8 writes hundreds of megabytes of it).
 * The layout it relies on is V8's: `{"snapshot":{...},"nodes":[...],"edges":[...],...,"strings":[...]}`
 * with the flat arrays made of non-negative integers.
 */
export class SnapshotScanner {
  private state = State.Header;
  private header: Buffer[] = [];
  private headerBytes = 0;
  /** Where the `snapshot` object starts, counted from the start of the file. */
  private headerStart = 0;
  private key: number[] = [];
  private sink: NumberSink | undefined;
  private value = 0;
  private inNumber = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private offset = 0;

  constructor(private readonly handlers: ScanHandlers) {}

  /** Feeds the next chunk; returns false once the scan needs no more input. */
  write(chunk: Buffer): boolean {
    let i = 0;
    if (this.state === State.Header) i = this.readHeader(chunk);
    while (i < chunk.length && this.state !== State.Done) {
      switch (this.state) {
        case State.Numbers:
          i = this.readNumbers(chunk, i);
          break;
        case State.SkipNumbers: {
          const end = chunk.indexOf(CLOSE, i);
          if (end === -1) i = chunk.length;
          else {
            i = end + 1;
            this.endArray();
          }
          break;
        }
        case State.Skip:
          i = this.skip(chunk, i);
          break;
        default:
          i = this.readPunctuation(chunk, i);
      }
    }
    this.offset += chunk.length;
    return this.state !== State.Done;
  }

  /** Called after the last chunk: a file cut short is an error, not a smaller heap. */
  end(): void {
    if (this.state !== State.Done) throw new SoakError('io', 'heap snapshot ends before its arrays do (truncated file?)');
  }

  /**
   * Collects bytes until the `snapshot` object (meta, counts) is closed, parses just that object,
   * and hands over to the generic key/array loop right after it.
   */
  private readHeader(chunk: Buffer): number {
    const header = this.header;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_OBJECT || byte === OPEN) {
        this.depth += 1;
        if (this.depth === 2 && byte === OPEN_OBJECT) this.headerStart = this.headerBytes + i;
      } else if (byte === CLOSE_OBJECT || byte === CLOSE) {
        this.depth -= 1;
        if (this.depth === 1) {
          header.push(chunk.subarray(0, i + 1));
          this.parseHeader(Buffer.concat(header).subarray(this.headerStart).toString('utf8'));
          return i + 1;
        }
      }
    }
    header.push(chunk);
    this.headerBytes += chunk.length;
    if (this.headerBytes > MAX_HEADER_BYTES) throw new SoakError('io', 'not a V8 heap snapshot: no snapshot header in its first megabyte');
    return chunk.length;
  }

  private parseHeader(text: string): void {
    let snapshot: unknown;
    try {
      snapshot = JSON.parse(text);
    } catch {
      throw new SoakError('io', 'not a V8 heap snapshot: its header is not JSON');
    }
    this.handlers.header(snapshot);
    this.header = [];
    this.depth = 0;
    this.state = State.BeforeKey;
  }

  private readPunctuation(chunk: Buffer, start: number): number {
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      switch (this.state) {
        case State.BeforeKey:
          if (isSpace(byte) || byte === COMMA) continue;
          if (byte === CLOSE_OBJECT) {
            this.state = State.Done;
            return i + 1;
          }
          if (byte !== QUOTE) this.unexpected(byte, i);
          this.key = [];
          this.state = State.Key;
          continue;
        case State.Key:
          if (byte === QUOTE) this.state = State.BeforeColon;
          else if (this.key.length < MAX_KEY_BYTES) this.key.push(byte);
          else this.unexpected(byte, i);
          continue;
        case State.BeforeColon:
          if (isSpace(byte)) continue;
          if (byte !== COLON) this.unexpected(byte, i);
          this.state = State.BeforeValue;
          continue;
        case State.BeforeValue:
          if (isSpace(byte)) continue;
          if (byte !== OPEN) this.unexpected(byte, i);
          this.beginArray(this.offset + i);
          return i + 1;
      }
    }
    return chunk.length;
  }

  private beginArray(offset: number): void {
    const section = Buffer.from(this.key).toString('latin1');
    if (section === 'strings') {
      this.handlers.stringsAt(offset);
      this.depth = 1;
      this.state = State.Skip;
    } else if (section === 'nodes' || section === 'edges') {
      this.sink = this.handlers.numbers(section);
      this.state = this.sink ? State.Numbers : State.SkipNumbers;
    } else if (flatSections.has(section)) {
      this.state = State.SkipNumbers;
    } else {
      this.depth = 1;
      this.state = State.Skip;
    }
    if (this.handlers.satisfied()) this.state = State.Done;
  }

  private endArray(): void {
    this.sink = undefined;
    this.state = this.handlers.satisfied() ? State.Done : State.BeforeKey;
  }

  private readNumbers(chunk: Buffer, start: number): number {
    const sink = this.sink!;
    let value = this.value;
    let inNumber = this.inNumber;
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte >= ZERO && byte <= NINE) {
        value = value * 10 + (byte - ZERO);
        inNumber = true;
        continue;
      }
      if (inNumber) {
        sink.push(value);
        value = 0;
        inNumber = false;
      }
      if (byte === CLOSE) {
        this.value = 0;
        this.inNumber = false;
        this.endArray();
        return i + 1;
      }
      if (byte !== COMMA && !isSpace(byte)) this.unexpected(byte, i);
    }
    this.value = value;
    this.inNumber = inNumber;
    return chunk.length;
  }

  /** Skips one array of any content, strings included. */
  private skip(chunk: Buffer, start: number): number {
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN || byte === OPEN_OBJECT) {
        this.depth += 1;
      } else if (byte === CLOSE || byte === CLOSE_OBJECT) {
        this.depth -= 1;
        if (this.depth === 0) {
          this.endArray();
          return i + 1;
        }
      }
    }
    return chunk.length;
  }

  private unexpected(byte: number, index: number): never {
    throw new SoakError('io', `heap snapshot: unexpected ${JSON.stringify(String.fromCharCode(byte))} at byte ${this.offset + index}`);
  }
}
