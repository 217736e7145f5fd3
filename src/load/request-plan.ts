import { randomUUID } from 'node:crypto';
import { SoakError } from '../core/errors.js';
import { compileTemplate, type Template } from './template.js';
import type { HttpRequestSpec } from './http-options.js';
import { wholeStream, type Share } from './share.js';

/** Methods whose requests carry a body by definition: without one they still say content-length: 0. */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH']);

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** The header lines soak writes as given; content-length is soak's to write, host is the user's to override. */
function headerLines(spec: HttpRequestSpec, host: string, where: string, isJson: boolean): string {
  const headers: Record<string, string> = { ...spec.headers };
  if (isJson && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  let lines = hasHeader(headers, 'host') ? '' : `host: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding') continue;
    if (/[\r\n]/.test(name + value)) throw new SoakError('scenario', `${where}.headers.${name}: a header may not contain a line break`);
    lines += `${name}: ${value}\r\n`;
  }
  return hasHeader(headers, 'connection') ? lines : `${lines}connection: keep-alive\r\n`;
}

interface CompiledSpec {
  head: boolean;
  /** The whole request when it has no placeholder: built once, sent as is. */
  constant: Buffer | undefined;
  build(seq: number): Buffer;
}

function compileRequest(spec: HttpRequestSpec, index: number, pathPrefix: string, host: string): CompiledSpec {
  const where = `load.requests[${index}]`;
  const isJson = typeof spec.body === 'object';
  const bodyText = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
  const path = compileTemplate(pathPrefix + spec.path, `${where}.path`);
  const body: Template | undefined = bodyText === undefined ? undefined : compileTemplate(bodyText, `${where}.body`, { json: isJson });
  const requestLine = `${spec.method} `;
  const afterPath = ` HTTP/1.1\r\n${headerLines(spec, host, where, isJson)}`;
  const noBody = bodyMethods.has(spec.method) ? 'content-length: 0\r\n\r\n' : '\r\n';
  const build = (seq: number): Buffer => {
    // One random id per request, shared by its path and body, so both name the same key.
    let id: string | undefined;
    const uuid = () => (id ??= randomUUID());
    const vars = { seq };
    const head = requestLine + path.fillWith(vars, uuid) + afterPath;
    if (!body) return Buffer.from(head + noBody);
    const text = body.fillWith(vars, uuid);
    return Buffer.from(`${head}content-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  };
  const constant = path.constant && (body?.constant ?? true) ? build(0) : undefined;
  return { head: spec.method === 'HEAD', constant, build };
}

/**
 * The stream's requests as the bytes sent on the wire, picked by weight. A request without
 * placeholders is built once and the same Buffer is written every time; one with placeholders is
 * built per request ({{seq}} counts up across the whole stream: a driver thread with share i of n
 * numbers its requests i+1, i+1+n, ...). `next()` sets `spec`, `bytes` and `head` for the next
 * request, so picking one allocates nothing. `pathPrefix` is the base URL's own path, if any.
 */
export class RequestPlan {
  spec = 0;
  bytes: Buffer = Buffer.alloc(0);
  /** A HEAD request: its response has no body whatever its headers say. */
  head = false;
  private readonly compiled: CompiledSpec[];
  private readonly cumulative: number[] = [];
  private readonly total: number;
  private seq: number;

  constructor(
    specs: HttpRequestSpec[],
    host: string,
    pathPrefix = '',
    private readonly share: Share = wholeStream,
  ) {
    const prefix = pathPrefix.replace(/\/+$/, '');
    this.compiled = specs.map((spec, index) => compileRequest(spec, index, prefix, host));
    let total = 0;
    for (const spec of specs) this.cumulative.push((total += spec.weight));
    this.total = total;
    this.seq = share.index + 1 - share.count;
  }

  next(): void {
    this.seq += this.share.count;
    let index = 0;
    if (this.compiled.length > 1) {
      const pick = Math.random() * this.total;
      while (index < this.compiled.length - 1 && pick >= this.cumulative[index]!) index++;
    }
    const compiled = this.compiled[index]!;
    this.spec = index;
    this.head = compiled.head;
    this.bytes = compiled.constant ?? compiled.build(this.seq);
  }
}

/** The plan for `specs` sent to `baseUrl` (its path, if any, prefixes every request's). */
export function requestPlan(specs: HttpRequestSpec[], baseUrl: string, share: Share = wholeStream): RequestPlan {
  const url = new URL(baseUrl);
  return new RequestPlan(specs, url.host, url.pathname, share);
}
