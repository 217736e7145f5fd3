/** What a scenario file imports: `import { defineScenario } from 'soak'`. */
export { defineScenario } from './scenario/define.js';
export type { ScenarioInput, CheckContext, CheckResult } from './scenario/index.js';
