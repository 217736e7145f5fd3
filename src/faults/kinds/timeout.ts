import { z } from 'zod';
import { durationMs } from '../../core/fields.js';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z
  .object({
    ...networkFields,
    /** Close each stalled connection after this long; without it connections stay open and silent until the fault ends. */
    timeout: durationMs.optional(),
  })
  .strict();

/** Connections are accepted but nothing flows (data is held, not lost): a dependency that hangs. */
export const timeoutFault = networkFault('timeout', schema, (options) => ({ type: 'timeout', timeoutMs: options.timeout }));
