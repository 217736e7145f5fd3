export { runScenario, type RunOptions, type RunResult } from './run.js';
export { finishRun, type FinishedRun } from './finish.js';
export { ProgressPrinter, formatStatus } from './progress.js';
export type { LiveStatus } from './live.js';
