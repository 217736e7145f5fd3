export { defineScenario } from './define.js';
export type { ScenarioInput } from './schema.js';
export type * from './types.js';
