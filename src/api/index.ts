/**
 * soak as a library: the same runs, gates and comparisons as the CLI, resolving to the objects the CLI
 * writes (summary.json, the gate's result, the comparison). Each is a thin layer over the CLI's own entry
 * point, loaded on first call so that a scenario file importing defineScenario stays quick to load.
 */
export { run, type RunOptions, type RunOutput } from './run.js';
export { gate } from './gate.js';
export { compare, type CompareOptions } from './compare.js';
export type { GateOptions, GateOutput, GateResult } from '../gate/index.js';
