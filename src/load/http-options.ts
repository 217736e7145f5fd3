import { z } from 'zod';
import { durationMs, positiveInt, positiveNumber } from '../core/fields.js';
import { templateProblem } from './template.js';

/** Placeholders ({{seq}}, {{random}}, {{random:1-1000}}) are described in template.ts. */
const template = (schema: z.ZodString) =>
  schema.superRefine((text, context) => {
    const problem = templateProblem(text);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const path = template(z.string({ error: 'expected a path starting with "/"' }).startsWith('/', { error: 'expected a path starting with "/"' }));

const requestSchema = z
  .object({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, { error: 'expected an HTTP method such as GET or POST' })
      .transform((method) => method.toUpperCase())
      .default('GET'),
    path,
    headers: z.record(z.string(), z.string()).default({}),
    /** Text, or an object sent as JSON; {{seq}} and {{random}} are filled in as in the path. */
    body: z.union([template(z.string()), z.record(z.string(), z.unknown()).superRefine((body, context) => {
      const problem = templateProblem(JSON.stringify(body));
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })], { error: 'expected a string or an object (sent as JSON)' }).optional(),
    /** How often this request is picked relative to the others. */
    weight: positiveNumber.default(1),
    /** The endpoint its figures and budgets go under; requests sharing a name share figures. */
    name: z.string({ error: 'expected an endpoint name' }).min(1, { error: 'expected an endpoint name' }).optional(),
  })
  .strict()
  // Placeholders stay as written, so every request to one route shares one name.
  .transform(({ name, ...spec }) => ({ ...spec, name: name ?? `${spec.method} ${spec.path}` }));

/**
 * An http stream's own fields. `path` is shorthand for one GET request; with neither, GET "/".
 * The output always has `requests`, and `timeout` in ms.
 */
export const httpOptionsSchema = z
  .object({
    requests: z.array(requestSchema, { error: 'expected a list of requests' }).min(1, { error: 'expected at least one request' }).optional(),
    path: path.optional(),
    /** How long a request may take, counted from when it was meant to be sent. */
    timeout: durationMs.default(10_000),
    /** Open model: requests in flight at once; arrivals beyond it wait (and are recorded as late), they are not dropped. */
    maxInflight: positiveInt.default(1000),
  })
  .strict()
  .refine((options) => options.requests === undefined || options.path === undefined, {
    message: 'give either requests (a list) or path, not both',
    path: ['path'],
  })
  .transform(({ requests, path, timeout, maxInflight }) => ({
    requests: requests ?? [{ method: 'GET', path: path ?? '/', headers: {}, weight: 1, name: `GET ${path ?? '/'}` }],
    timeout,
    maxInflight,
  }));

export type HttpOptions = z.output<typeof httpOptionsSchema>;
export type HttpRequestSpec = HttpOptions['requests'][number];
