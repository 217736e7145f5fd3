export { gateRun, type GateOptions, type GateOutput } from './gate.js';
export { gateFileSchema } from './budgets-file.js';
export type { GateResult } from './result.js';
