import { Registry } from '../core/registry.js';
import { httpDriver } from './http.js';
import type { LoadDriver } from './types.js';
import { wsDriver } from './ws/index.js';

/** Load drivers by kind: what a stream's `kind` names. */
export const loadDrivers = new Registry<LoadDriver>('load driver');
loadDrivers.register('http', httpDriver);
loadDrivers.register('ws', wsDriver);
