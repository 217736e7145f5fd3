import { randomUUID } from 'node:crypto';
import { compileTemplate } from '../template.js';
import { SoakError } from '../../core/errors.js';
import type { WsOptions } from './schema.js';

export interface MessageVars {
  seq: number;
  conn: number;
}

export interface RenderedMessage {
  text: string;
  /** The value a reply must carry in the expectReply field to answer this message. */
  key?: string;
}

/** Builds each message and the key its reply is matched by; validated once, before any connection. */
export function messageTemplate(options: Pick<WsOptions, 'message' | 'expectReply'>): (vars: MessageVars) => RenderedMessage {
  const source = typeof options.message === 'string' ? options.message : JSON.stringify(options.message);
  const text = compileTemplate(source, 'load.message', { json: typeof options.message !== 'string', allowConn: true });
  const field = typeof options.expectReply === 'string' ? options.expectReply : undefined;
  if (field === undefined) return (vars) => ({ text: text.fill(vars) });

  let parsed: unknown;
  try {
    parsed = typeof options.message === 'string' ? JSON.parse(options.message) : options.message;
  } catch {
    throw new SoakError('scenario', 'load.message: expectReply names a field, so message must be valid JSON');
  }
  const keySource = (parsed as Record<string, unknown> | null)?.[field];
  if (keySource === undefined) throw new SoakError('scenario', `load.expectReply: message has no field "${field}" to match replies by`);
  if (typeof keySource !== 'string' || !/\{\{(seq|random)[^}]*\}\}/.test(keySource)) {
    throw new SoakError('scenario', `load.message.${field}: must contain {{seq}} or {{random}} so each reply can be told apart`);
  }
  const key = compileTemplate(keySource, `load.message.${field}`, { allowConn: true });
  return (vars) => {
    let id: string | undefined;
    const uuid = () => (id ??= randomUUID());
    return { text: text.fillWith(vars, uuid), key: key.fillWith(vars, uuid) };
  };
}

/** The key a received message answers, or undefined when it is not a reply (a broadcast, a non-JSON frame). */
export function replyKey(data: string, field: string): string | undefined {
  if (!data.includes(`"${field}"`)) return undefined;
  try {
    const value = (JSON.parse(data) as Record<string, unknown> | null)?.[field];
    return value === undefined || value === null ? undefined : String(value);
  } catch {
    return undefined;
  }
}
