import { z } from 'zod';
import { durationMs, nonNegativeNumber, positiveInt, positiveNumber } from '../../core/fields.js';
import { templateProblem } from '../template.js';

/** Placeholders are checked when the scenario is loaded, not when the first message is sent. */
function checkTemplate(message: string | Record<string, unknown>, context: z.RefinementCtx): void {
  const problem = templateProblem(typeof message === 'string' ? message : JSON.stringify(message), { allowConn: true });
  if (problem) context.addIssue({ code: 'custom', message: problem });
}

export const wsOptionsSchema = z
  .object({
    /** Path of the WebSocket endpoint on the target, e.g. "/ws". */
    path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }).default('/'),
    /** Connections opened per second while the count held is below the phase's `connections`. */
    connectRate: positiveNumber.default(200),
    /** Messages per second on each connection; 0 holds connections idle. */
    messageRate: nonNegativeNumber.default(0),
    /** Payload: text, or an object sent as JSON; {{seq}}, {{conn}} and {{random}} are filled in per message. */
    message: z.union([z.string(), z.record(z.string(), z.unknown())]).superRefine(checkTemplate).default('{{seq}}'),
    /**
     * How a reply is recognised, to time round trips: a field name (the reply whose field equals
     * the sent message's field answers it) or true (each message received answers the oldest one sent).
     */
    expectReply: z.union([z.string().min(1), z.literal(true)]).optional(),
    /** Connect, send this many messages, disconnect, and connect again: what per-disconnect leaks need. */
    churn: z.object({ messages: positiveInt }).strict().optional(),
    /** Limit for the opening handshake and for each reply. */
    timeout: durationMs.default(10_000),
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict()
  .refine((options) => typeof options.expectReply !== 'string' || typeof options.message === 'object' || options.message.trimStart().startsWith('{'), {
    message: 'expectReply names a field, so message must be a JSON object containing it, e.g. { type: "ping", id: "{{seq}}" }',
    path: ['expectReply'],
  });

export type WsOptions = z.infer<typeof wsOptionsSchema>;
