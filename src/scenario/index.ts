export { defineScenario } from './define.js';
export { loadScenarioFile } from './load.js';
export { resolveScenario } from './resolve.js';
export type { ScenarioInput } from './schema.js';
export type * from './types.js';
