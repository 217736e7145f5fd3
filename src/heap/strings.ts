import { SoakError } from '../core/errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * A push parser for the `strings` array of a heap snapshot, fed from the `[` that opens it. Only
 * the strings at the wanted indexes are decoded and kept: the array holds a copy of every string
 * on the heap (up to 1 KB each), most of which no report needs.
 */
export class StringsScanner {
  readonly found = new Map<number, string>();
  private index = -1;
  private started = false;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] | undefined;
  private finished = false;
  private remaining: number;

  constructor(private readonly wanted: ReadonlySet<number>) {
    this.remaining = wanted.size;
  }

  /** Feeds the next chunk; returns false once every wanted string is found or the array ended. */
  write(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length && !this.finished) i = this.inString ? this.readString(chunk, i) : this.readBetween(chunk, i);
    return !this.finished;
  }

  private readBetween(chunk: Buffer, start: number): number {
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (isSpace(byte) || byte === COMMA) continue;
      if (!this.started) {
        if (byte !== OPEN) throw new SoakError('io', 'heap snapshot: the strings array does not start where its offset says');
        this.started = true;
        continue;
      }
      if (byte === CLOSE) {
        this.finished = true;
        return i + 1;
      }
      if (byte !== QUOTE) throw new SoakError('io', `heap snapshot: unexpected ${JSON.stringify(String.fromCharCode(byte))} in the strings array`);
      this.index += 1;
      this.inString = true;
      this.parts = this.wanted.has(this.index) ? [] : undefined;
      return i + 1;
    }
    return chunk.length;
  }

  private readString(chunk: Buffer, start: number): number {
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (this.escaped) {
        this.escaped = false;
      } else if (byte === BACKSLASH) {
        this.escaped = true;
      } else if (byte === QUOTE) {
        this.inString = false;
        if (this.parts) this.keep(Buffer.concat([...this.parts, chunk.subarray(start, i)]));
        return i + 1;
      }
    }
    // Copied: a kept slice must not pin the whole chunk.
    this.parts?.push(Buffer.from(chunk.subarray(start)));
    return chunk.length;
  }

  private keep(raw: Buffer): void {
    let text: string;
    try {
      text = JSON.parse(`"${raw.toString('utf8')}"`) as string;
    } catch {
      throw new SoakError('io', `heap snapshot: string ${this.index} is not a valid JSON string`);
    }
    this.found.set(this.index, text);
    this.parts = undefined;
    this.remaining -= 1;
    if (this.remaining === 0) this.finished = true;
  }
}
