import { z } from 'zod';
import { positiveInt } from '../../core/fields.js';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z
  .object({
    ...networkFields,
    /** Each connection is closed once this many bytes have passed in the direction (default downstream). */
    bytes: positiveInt,
  })
  .strict();

export const limitDataFault = networkFault('limit-data', schema, (options) => ({ type: 'limit-data', bytes: options.bytes }));
