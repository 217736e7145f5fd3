/**
 * An HTTP/1.1 response reader that keeps only what a load generator needs: the status, where the
 * response ends (Content-Length, chunked, or the connection's close) and whether the connection
 * may carry the next request. Bodies are skipped, never copied. It is fed the socket's bytes as
 * they come, in any split, and holds only a few numbers per connection between reads; header bytes
 * are copied only when a header block is split across reads.
 */

const CR = 13;
const LF = 10;
const headerEnd = Buffer.from('\r\n\r\n');
/** Beyond this a header block is not a response worth waiting for. */
const MAX_HEADER_BYTES = 64 * 1024;

const State = { Headers: 0, Body: 1, ChunkSize: 2, ChunkExtension: 3, ChunkData: 4, ChunkDataEnd: 5, Trailers: 6, UntilClose: 7 } as const;
type State = (typeof State)[keyof typeof State];

/** What feed() found; Partial: it wants more bytes. */
export const Fed = { Partial: 0, Complete: 1, Invalid: 2 } as const;
export type Fed = (typeof Fed)[keyof typeof Fed];

const lower = (byte: number) => byte | 0x20;

/** Whether bytes[at..] starts with `name` (lowercase ASCII, ending in ':'), case-insensitively. */
function nameIs(bytes: Buffer, at: number, end: number, name: string): boolean {
  if (end - at < name.length) return false;
  for (let i = 0; i < name.length; i++) {
    const expected = name.charCodeAt(i);
    const byte = bytes[at + i]!;
    if (byte !== expected && lower(byte) !== expected) return false;
  }
  return true;
}

/** Whether the value bytes[from..to) holds `token` (lowercase) as a whole word, case-insensitively. */
function valueHas(bytes: Buffer, from: number, to: number, token: string): boolean {
  const last = to - token.length;
  for (let at = from; at <= last; at++) {
    let i = 0;
    while (i < token.length && lower(bytes[at + i]!) === token.charCodeAt(i)) i++;
    if (i === token.length) return true;
  }
  return false;
}

export class ResponseParser {
  status = 0;
  /** The connection may carry another request once this response is complete. */
  keepAlive = true;
  /** After the response, the bytes left over in the chunk (normally none: no pipelining). */
  offset = 0;
  private state: State = State.Headers;
  private remaining = 0;
  private noBody = false;
  private pending: Buffer | undefined;

  /** For the next response; `noBody`: the request was a HEAD. */
  reset(noBody: boolean): void {
    this.state = State.Headers;
    this.status = 0;
    this.keepAlive = true;
    this.noBody = noBody;
    this.pending = undefined;
    this.remaining = 0;
  }

  /** A response read until the connection closes is complete at its end; any other is cut off. */
  closed(): Fed {
    return this.state === State.UntilClose ? Fed.Complete : Fed.Invalid;
  }

  /** Reads bytes[start..end); on Complete, `offset` is where the response ended. */
  feed(bytes: Buffer, start: number, end: number): Fed {
    let at = start;
    while (at < end) {
      switch (this.state) {
        case State.Headers: {
          const result = this.headers(bytes, at, end);
          if (result < 0) return result === -1 ? Fed.Partial : Fed.Invalid;
          at = result;
          if ((this.state as State) === State.Body && this.remaining === 0) {
            this.offset = at;
            return Fed.Complete;
          }
          break;
        }
        case State.Body: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          at += take;
          if (this.remaining > 0) return Fed.Partial;
          this.offset = at;
          return Fed.Complete;
        }
        case State.UntilClose:
          return Fed.Partial;
        case State.ChunkSize: {
          const byte = bytes[at++]!;
          const digit = byte >= 48 && byte <= 57 ? byte - 48 : lower(byte) >= 97 && lower(byte) <= 102 ? lower(byte) - 87 : -1;
          if (digit >= 0) this.remaining = this.remaining * 16 + digit;
          else if (byte === LF) this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
          else if (byte === CR || byte === 59 /* ; */ || byte === 32 || byte === 9) this.state = byte === CR ? State.ChunkSize : State.ChunkExtension;
          else return Fed.Invalid;
          if (this.remaining > Number.MAX_SAFE_INTEGER / 16) return Fed.Invalid;
          break;
        }
        case State.ChunkExtension:
          if (bytes[at++] === LF) this.state = this.remaining === 0 ? State.Trailers : State.ChunkData;
          break;
        case State.ChunkData: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          at += take;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd:
          if (bytes[at++] === LF) this.state = State.ChunkSize;
          break;
        case State.Trailers: {
          // Trailer lines until an empty one; `remaining` counts the bytes of the current line.
          const byte = bytes[at++]!;
          if (byte === LF) {
            if (this.remaining === 0) {
              this.offset = at;
              return Fed.Complete;
            }
            this.remaining = 0;
          } else if (byte !== CR) this.remaining += 1;
          break;
        }
      }
    }
    return Fed.Partial;
  }

  /** Reads a header block; returns where its body starts, -1 for more bytes, -2 when it is not HTTP. */
  private headers(chunk: Buffer, start: number, end: number): number {
    let bytes = chunk;
    let from = start;
    let to = end;
    if (this.pending) {
      bytes = Buffer.concat([this.pending, chunk.subarray(start, end)]);
      from = 0;
      to = bytes.length;
    }
    // A shared read buffer holds stale bytes past `to`: a match must end within the bytes read.
    const blockEnd = bytes.indexOf(headerEnd, from);
    if (blockEnd === -1 || blockEnd + 4 > to) {
      if (to - from > MAX_HEADER_BYTES) return -2;
      // The chunk's memory is reused for the next read: keep a copy.
      this.pending = Buffer.from(bytes.subarray(from, to));
      return -1;
    }
    const consumedFromPending = this.pending ? this.pending.length : 0;
    this.pending = undefined;
    if (!this.statusLine(bytes, from)) return -2;
    this.headerFields(bytes, from, blockEnd);
    const bodyStart = blockEnd + 4;
    if (this.status >= 100 && this.status < 200 && this.status !== 101) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      this.state = State.Headers;
      this.status = 0;
      this.keepAlive = true;
    }
    return bodyStart - consumedFromPending + (bytes === chunk ? 0 : start);
  }

  private statusLine(bytes: Buffer, from: number): boolean {
    // "HTTP/1.1 200 ..."
    if (bytes[from] !== 72 || bytes[from + 4] !== 47 || bytes[from + 8] !== 32) return false;
    const status = (bytes[from + 9]! - 48) * 100 + (bytes[from + 10]! - 48) * 10 + (bytes[from + 11]! - 48);
    if (!(status >= 100 && status <= 999)) return false;
    this.status = status;
    // HTTP/1.0 closes unless it says keep-alive.
    this.keepAlive = bytes[from + 7] !== 48;
    return true;
  }

  private headerFields(bytes: Buffer, from: number, blockEnd: number): void {
    let length = -1;
    let chunked = false;
    let lineStart = bytes.indexOf(LF, from) + 1;
    while (lineStart < blockEnd) {
      let lineEnd = lineStart;
      while (lineEnd < blockEnd && bytes[lineEnd] !== CR) lineEnd++;
      const first = lower(bytes[lineStart]!);
      if (first === 99 /* c */ || first === 116 /* t */) {
        if (nameIs(bytes, lineStart, lineEnd, 'content-length:')) {
          length = 0;
          for (let i = lineStart + 15; i < lineEnd; i++) {
            const byte = bytes[i]!;
            if (byte >= 48 && byte <= 57) length = length * 10 + byte - 48;
          }
        } else if (nameIs(bytes, lineStart, lineEnd, 'connection:')) {
          if (valueHas(bytes, lineStart + 11, lineEnd, 'close')) this.keepAlive = false;
          else if (valueHas(bytes, lineStart + 11, lineEnd, 'keep-alive')) this.keepAlive = true;
        } else if (nameIs(bytes, lineStart, lineEnd, 'transfer-encoding:')) {
          chunked = valueHas(bytes, lineStart + 18, lineEnd, 'chunked');
        }
      }
      lineStart = lineEnd + 2;
    }
    const status = this.status;
    if (this.noBody || status === 204 || status === 304 || (status >= 100 && status < 200)) {
      this.state = State.Body;
      this.remaining = 0;
    } else if (chunked) {
      this.state = State.ChunkSize;
      this.remaining = 0;
    } else if (length >= 0) {
      this.state = State.Body;
      this.remaining = length;
    } else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
  }
}
