import { z } from 'zod';
import { durationMs } from '../../core/fields.js';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z
  .object({
    ...networkFields,
    /** How long a close (FIN) is held back (default direction downstream: the dependency's close). */
    delay: durationMs,
  })
  .strict();

export const slowCloseFault = networkFault('slow-close', schema, (options) => ({ type: 'slow-close', delayMs: options.delay }));
