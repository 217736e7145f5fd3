import { Registry } from '../core/registry.js';
import type { FaultKind } from './types.js';

/** Fault kinds by name (kill, pause, starve, latency...); each registers itself in index.ts. */
export const faultKinds = new Registry<FaultKind>('fault kind');
