import { randomUUID } from 'node:crypto';
import { compileTemplate } from './template.js';
import type { HttpRequestSpec } from './http-options.js';

export interface PlannedRequest {
  /** Index of the request spec it was made from, for per-endpoint figures. */
  spec: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function compileRequest(spec: HttpRequestSpec, index: number, pathPrefix: string) {
  const where = `load.requests[${index}]`;
  const isJson = typeof spec.body === 'object';
  const bodyText = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
  const headers = isJson && !hasHeader(spec.headers, 'content-type') ? { ...spec.headers, 'content-type': 'application/json' } : spec.headers;
  const path = compileTemplate(pathPrefix + spec.path, `${where}.path`);
  const body = bodyText === undefined ? undefined : compileTemplate(bodyText, `${where}.body`, { json: isJson });
  return (seq: number): PlannedRequest => {
    // One random id per request, shared by its path and body, so both name the same key.
    let id: string | undefined;
    const uuid = () => (id ??= randomUUID());
    const vars = { seq };
    return { spec: index, method: spec.method, path: path.fillWith(vars, uuid), headers, ...(body ? { body: body.fillWith(vars, uuid) } : {}) };
  };
}

/**
 * The stream's requests, picked by weight; each call is the next request with its templates filled
 * in ({{seq}} counts up across the whole stream). `pathPrefix` is the base URL's own path, if any.
 */
export function requestPlan(specs: HttpRequestSpec[], pathPrefix = ''): () => PlannedRequest {
  const prefix = pathPrefix.replace(/\/+$/, '');
  const builders = specs.map((spec, index) => compileRequest(spec, index, prefix));
  const cumulative: number[] = [];
  let total = 0;
  for (const spec of specs) cumulative.push((total += spec.weight));
  let seq = 0;
  return () => {
    seq += 1;
    if (builders.length === 1) return builders[0]!(seq);
    const pick = Math.random() * total;
    const index = cumulative.findIndex((bound) => pick < bound);
    return builders[index === -1 ? builders.length - 1 : index]!(seq);
  };
}
