import { describe, expect, it } from 'vitest';
import { httpOptionsSchema } from '../../src/load/http-options.js';
import { parseOrThrow } from '../../src/scenario/errors.js';

const parse = (value: unknown) => parseOrThrow(httpOptionsSchema, value, 'load.');

describe('http stream options', () => {
  it('reads the path shorthand as one GET, with the default timeout and in-flight cap', () => {
    expect(parse({ path: '/items' })).toEqual({ requests: [{ method: 'GET', path: '/items', headers: {}, weight: 1, name: 'GET /items' }], timeout: 10_000, maxInflight: 1000 });
    expect(parse({}).requests).toEqual([{ method: 'GET', path: '/', headers: {}, weight: 1, name: 'GET /' }]);
  });

  it('fills in each request and reads the timeout as a duration', () => {
    const options = parse({ requests: [{ method: 'post', path: '/orders', body: { total: 42 }, weight: 3 }, { path: '/health' }], timeout: '2s', maxInflight: 50 });
    expect(options.requests).toEqual([
      { method: 'POST', path: '/orders', headers: {}, body: { total: 42 }, weight: 3, name: 'POST /orders' },
      { method: 'GET', path: '/health', headers: {}, weight: 1, name: 'GET /health' },
    ]);
    expect(options.timeout).toBe(2000);
    expect(options.maxInflight).toBe(50);
  });

  it('names each request as its endpoint: its own name, or method and path with the placeholders as written', () => {
    const options = parse({ requests: [{ path: '/orders/{{random:1-1000}}' }, { method: 'put', path: '/orders/{{seq}}', name: 'update order' }] });
    expect(options.requests.map((request) => request.name)).toEqual(['GET /orders/{{random:1-1000}}', 'update order']);
    expect(() => parse({ requests: [{ path: '/', name: '' }] })).toThrow('load.requests[0].name: expected an endpoint name');
    expect(() => parse({ requests: [{ path: '/', name: 7 }] })).toThrow('load.requests[0].name: expected an endpoint name');
  });

  it('names the field of a bad option in one line', () => {
    expect(() => parse({ requests: [{ path: 'orders' }] })).toThrow('load.requests[0].path: expected a path starting with "/"');
    expect(() => parse({ path: '/', timeout: 'soon' })).toThrow('load.timeout: expected a duration like "90s", "10m" or "8h", got "soon"');
    expect(() => parse({ path: '/', requests: [{ path: '/' }] })).toThrow('load.path: give either requests (a list) or path, not both');
    expect(() => parse({ path: '/', maxInflight: 0 })).toThrow('load.maxInflight: expected a positive whole number');
    expect(() => parse({ path: '/', rate: 5 })).toThrow('load: unknown field "rate"');
    expect(() => parse({ requests: [{ path: '/', method: 'GET /x' }] })).toThrow('load.requests[0].method: expected an HTTP method such as GET or POST');
  });
});
