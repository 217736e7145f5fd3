import { describe, expect, it } from 'vitest';
import { httpOptionsSchema } from '../../src/load/http-options.js';
import { requestPlan } from '../../src/load/request-plan.js';
import { compileTemplate } from '../../src/load/template.js';

describe('request templates', () => {
  it('turns a JSON string that is exactly {{seq}} into a number, and keeps {{seq}} inside text a string', () => {
    const template = compileTemplate(JSON.stringify({ value: '{{seq}}', user: 'u{{seq}}' }), 'body', { json: true });
    expect(JSON.parse(template.fill({ seq: 42 }))).toEqual({ value: 42, user: 'u42' });
  });

  it('draws {{random:LOW-HIGH}} uniformly within its bounds, both ends included', () => {
    const template = compileTemplate('/orders/{{random:1-3}}', 'path');
    const seen = new Set(Array.from({ length: 300 }, () => template.fill({ seq: 0 })));
    expect([...seen].sort()).toEqual(['/orders/1', '/orders/2', '/orders/3']);
  });

  it('uses one {{random}} per request in both path and body, and a new one for the next request', () => {
    const plan = requestPlan([{ method: 'PUT', path: '/items/{{random}}', headers: {}, body: { id: '{{random}}' }, weight: 1, name: 'PUT /items' }], 'http://127.0.0.1:1');
    const next = () => {
      plan.next();
      // The request as written on the wire: "PUT <path> HTTP/1.1", headers, a blank line, the body.
      const [head, body] = plan.bytes.toString().split('\r\n\r\n') as [string, string];
      return { path: head.split(' ')[1]!, body };
    };
    const first = next();
    const second = next();
    expect(first.path).toBe(`/items/${JSON.parse(first.body!).id}`);
    expect(second.path).not.toBe(first.path);
  });

  it('rejects an unknown placeholder at validation, naming the field', () => {
    const result = httpOptionsSchema.safeParse({ requests: [{ path: '/x/{{sequence}}' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['requests', 0, 'path']);
    expect(result.error!.issues[0]!.message).toMatch(/unknown placeholder \{\{sequence\}\}/);
  });

  it('rejects a random range whose low end is above its high end', () => {
    expect(() => compileTemplate('/{{random:9-1}}', 'load.path')).toThrow(/load\.path: .*low <= high/);
  });
});

describe('websocket message templates', () => {
  it('rejects an unknown placeholder in a ws message at validation, naming the field', async () => {
    const { wsOptionsSchema } = await import('../../src/load/ws/schema.js');
    const result = wsOptionsSchema.safeParse({ message: { type: 'ping', id: '{{sequence}}' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['message']);
    expect(wsOptionsSchema.safeParse({ message: { type: 'ping', id: '{{seq}}', from: '{{conn}}' } }).success).toBe(true);
  });
});
