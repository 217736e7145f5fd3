import { z } from 'zod';
import { parseDuration } from './duration.js';
import { DURATION_CAP_MESSAGE, MAX_DURATION_MS } from './limits.js';

/** A duration written with its unit ("250ms", "90s", "10m", "8h"), parsed to milliseconds. */
export const durationMs = z
  .string({ error: 'expected a duration like "90s", "10m" or "8h"' })
  .transform((text, context) => {
    const value = parseDuration(text);
    if (value === undefined) {
      context.addIssue({ code: 'custom', message: `expected a duration like "90s", "10m" or "8h", got "${text}"` });
      return z.NEVER;
    }
    if (value > MAX_DURATION_MS) {
      context.addIssue({ code: 'custom', message: `${DURATION_CAP_MESSAGE}, got "${text}"` });
      return z.NEVER;
    }
    return value;
  });

export const positiveNumber = z
  .number({ error: 'expected a positive number' })
  .refine((n) => Number.isFinite(n) && n > 0, { message: 'expected a positive number' });

export const nonNegativeNumber = z
  .number({ error: 'expected a number >= 0' })
  .refine((n) => Number.isFinite(n) && n >= 0, { message: 'expected a number >= 0' });

export const positiveInt = z
  .number({ error: 'expected a positive whole number' })
  .int({ error: 'expected a positive whole number' })
  .positive({ error: 'expected a positive whole number' });

/** A fraction such as an error rate: 0.01 is 1 %. */
export const fraction = z
  .number({ error: 'expected a fraction between 0 and 1' })
  .min(0, { error: 'expected a fraction between 0 and 1' })
  .max(1, { error: 'expected a fraction between 0 and 1' });

export const serviceName = z
  .string({ error: 'expected a name' })
  .regex(/^[a-z][a-z0-9-]{0,40}$/, { error: 'expected a lowercase name of letters, digits and dashes' });

/**
 * A constant or a linear ramp [from, to]; neither end above `max` (`tooMany` says why). Input typed as
 * numbers, so a scenario file gets a type error for anything else.
 */
export const rampable = (value: z.ZodType<number, number>, max = Infinity, tooMany = '') =>
  z
    .union([value, z.tuple([nonNegativeNumber, value])], { error: 'expected a number or [from, to]' })
    .refine((ramp) => (Array.isArray(ramp) ? ramp : [ramp]).every((n) => n <= max), { message: tooMany });
