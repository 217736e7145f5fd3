import { z } from 'zod';
import { networkFields } from '../fields.js';
import { networkFault } from './network.js';

const schema = z.object({ ...networkFields }).strict();

/** Data to and from the dependency is dropped silently while connections stay open. */
export const blackholeFault = networkFault('blackhole', schema, () => ({ type: 'blackhole' }));
