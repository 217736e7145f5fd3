import { z } from 'zod';
import { durationMs } from '../../core/fields.js';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z
  .object({
    ...networkFields,
    /** Added to every chunk in the direction (default downstream: each response comes this much later). */
    latency: durationMs,
    /** Each chunk's delay varies by up to ± this much; order is kept. */
    jitter: durationMs.optional(),
  })
  .strict();

export const latencyFault = networkFault('latency', schema, (options) => ({ type: 'latency', latencyMs: options.latency, jitterMs: options.jitter }));
