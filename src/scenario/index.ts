export { defineScenario } from './define.js';
export { loadScenarioFile } from './load.js';
export { resolveScenario, type ScenarioOverrides } from './resolve.js';
export type { ScenarioInput } from './schema.js';
export type * from './types.js';
export { ScenarioError } from './errors.js';
export { maxConnectionsPerStream, maxDurationMs, maxRatePerStream } from './limits.js';
