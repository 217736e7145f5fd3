export { defineScenario } from './define.js';
export type { ScenarioInput } from './schema.js';
export type * from './types.js';
export { ScenarioError } from './errors.js';
export { MAX_CONNECTIONS_PER_STREAM, MAX_DURATION_MS, MAX_RATE_PER_STREAM } from '../core/limits.js';
