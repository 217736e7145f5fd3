import { z } from 'zod';
import { positiveNumber } from '../../core/fields.js';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z
  .object({
    ...networkFields,
    /** Kilobytes (1000 bytes) per second, per connection and direction (default downstream). */
    rate: positiveNumber,
  })
  .strict();

export const bandwidthFault = networkFault('bandwidth', schema, (options) => ({ type: 'bandwidth', rateKBps: options.rate }));
