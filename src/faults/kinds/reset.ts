import { z } from 'zod';
import { durationMs } from '../../core/fields.js';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z
  .object({
    ...networkFields,
    /** Reset each connection this long after the fault reaches it (default: at once). */
    after: durationMs.optional(),
  })
  .strict();

/** Open and new connections to the dependency are reset (TCP RST): "connection reset by peer". */
export const resetFault = networkFault('reset', schema, (options) => ({ type: 'reset', afterMs: options.after }));
