import { describe, expect, it } from 'vitest';
import { httpOptionsSchema } from '../../src/load/http-options.js';
import { parseOrThrow } from '../../src/scenario/errors.js';

const parse = (value: unknown) => parseOrThrow(httpOptionsSchema, value, 'load.');

describe('http stream options', () => {
  it('reads the path shorthand as one GET, with the default timeout and in-flight cap', () => {
    expect(parse({ path: '/items' })).toEqual({ requests: [{ method: 'GET', path: '/items', headers: {}, weight: 1 }], timeout: 10_000, maxInflight: 1000 });
    expect(parse({}).requests).toEqual([{ method: 'GET', path: '/', headers: {}, weight: 1 }]);
  });

  it('fills in each request and reads the timeout as a duration', () => {
    const options = parse({ requests: [{ method: 'post', path: '/orders', body: { total: 42 }, weight: 3 }, { path: '/health' }], timeout: '2s', maxInflight: 50 });
    expect(options.requests).toEqual([
      { method: 'POST', path: '/orders', headers: {}, body: { total: 42 }, weight: 3 },
      { method: 'GET', path: '/health', headers: {}, weight: 1 },
    ]);
    expect(options.timeout).toBe(2000);
    expect(options.maxInflight).toBe(50);
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
