import { randomInt, randomUUID } from 'node:crypto';
import { SoakError } from '../core/errors.js';

/**
 * Placeholders a request path, body or message may hold:
 * - `{{seq}}`: counts up per request (per message for WebSocket) across the stream;
 * - `{{conn}}`: the WebSocket connection's number (WebSocket only);
 * - `{{random}}`: a fresh UUID: an ever-new key;
 * - `{{random:1-1000}}`: a uniform integer in [1, 1000]: a bounded key space.
 *
 * In a JSON body a string that is exactly one numeric placeholder (`"{{seq}}"`, `"{{random:1-9}}"`)
 * becomes a JSON number, so `{ value: '{{seq}}' }` sends `{"value":42}`.
 */
export interface TemplateVars {
  seq: number;
  conn?: number;
}

type Piece = string | ((vars: TemplateVars, uuid: () => string) => string);

const placeholder = /("?)\{\{([a-z]+)(?::(\d+)-(\d+))?\}\}("?)/g;

function piece(name: string, low: string | undefined, high: string | undefined, where: string, allowConn: boolean): Piece {
  if (name === 'seq' && low === undefined) return (vars) => String(vars.seq);
  if (name === 'conn' && low === undefined && allowConn) return (vars) => String(vars.conn ?? 0);
  if (name === 'random' && low === undefined) return (_vars, uuid) => uuid();
  if (name === 'random' && low !== undefined && high !== undefined) {
    const [min, max] = [Number(low), Number(high)];
    if (!(max >= min) || max >= 2 ** 48) throw new SoakError('scenario', `${where}: {{random:${low}-${high}}} needs low <= high < 2^48`);
    return () => String(randomInt(min, max + 1));
  }
  const known = allowConn ? '{{seq}}, {{conn}}, {{random}}, {{random:LOW-HIGH}}' : '{{seq}}, {{random}}, {{random:LOW-HIGH}}';
  throw new SoakError('scenario', `${where}: unknown placeholder {{${name}${low === undefined ? '' : `:${low}-${high}`}}}; expected ${known}`);
}

export interface Template {
  /** One call per request: a fresh {{random}} per call, shared by every place it appears in the text. */
  fill(vars: TemplateVars): string;
  /** The text with `{{random}}` resolved by the given function instead, so two templates can share one id. */
  fillWith(vars: TemplateVars, uuid: () => string): string;
  readonly constant: boolean;
}

/**
 * Splits `text` once so filling it per request is a join. `json`: the text is JSON, and a quoted
 * numeric placeholder loses its quotes. `where` names the field in errors (`load.requests[0].path`).
 */
export function compileTemplate(text: string, where: string, options: { json?: boolean; allowConn?: boolean } = {}): Template {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    const [whole, openQuote, name, low, high, closeQuote] = match as unknown as [string, string, string, string | undefined, string | undefined, string];
    const fill = piece(name, low, high, where, options.allowConn ?? false);
    const numeric = name === 'seq' || name === 'conn' || (name === 'random' && low !== undefined);
    const unquote = options.json === true && numeric && openQuote === '"' && closeQuote === '"';
    pieces.push(text.slice(last, match.index) + (unquote ? '' : openQuote));
    pieces.push(fill);
    if (!unquote) pieces.push(closeQuote);
    last = match.index + whole.length;
  }
  pieces.push(text.slice(last));
  const parts = pieces.filter((part) => part !== '');
  const constant = parts.every((part) => typeof part === 'string');
  const fillWith = (vars: TemplateVars, uuid: () => string) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(vars, uuid);
    return out;
  };
  return {
    constant,
    fillWith,
    fill: (vars) => {
      let id: string | undefined;
      return fillWith(vars, () => (id ??= randomUUID()));
    },
  };
}

/** Why `text` is not a valid template, or undefined when it is: for schemas to report at validation. */
export function templateProblem(text: string, options: { allowConn?: boolean } = {}): string | undefined {
  try {
    compileTemplate(text, '', options);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^: /, '');
  }
}
