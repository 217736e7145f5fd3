import { z } from 'zod';
import { durationMs, fraction, serviceName } from '../core/fields.js';

/** The service (or, for network faults, the dependency) a fault acts on. */
export const target = serviceName;

/** How long the fault lasts; without it, until the run ends. */
export const duration = durationMs.optional();

const units: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** A size like docker's --memory: "128m", "1g", "512k" (binary units) or a number of bytes. */
export const byteSize = z.union([z.number().int().positive(), z.string()], { error: 'expected a size like "128m" or "1g"' }).transform((value, context) => {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? units[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    context.addIssue({ code: 'custom', message: `expected a size like "128m" or "1g", got "${value}"` });
    return z.NEVER;
  }
  return Math.round(Number(match[1]) * unit);
});

/** Fields every network fault has. */
export const networkFields = {
  target,
  duration,
  /** Probability that a given connection is affected. */
  toxicity: fraction.default(1),
  direction: z.enum(['upstream', 'downstream', 'both'], { error: 'expected upstream, downstream or both' }).optional(),
};
