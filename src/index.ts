/**
 * What a scenario file imports (`import { defineScenario } from 'soak-harness'`), and soak as a library:
 * `run`, `gate` and `compare` resolve to the objects the CLI writes.
 */
export { defineScenario } from './scenario/define.js';
export type { ScenarioInput, CheckContext, CheckResult } from './scenario/index.js';
export { run, gate, compare, type RunOptions, type RunOutput, type GateOptions, type GateOutput, type GateResult, type CompareOptions } from './api/index.js';
export type { Summary, LoadSummary, PhaseFigures, ServiceSummary, FaultWindow, EndReason } from './report/index.js';
export type { Finding } from './analyze/types.js';
export type { LiveStatus } from './runner/index.js';
export type { ComparedRuns } from './runner/compare.js';
export { SoakError, isSoakError, ExitCode, type SoakErrorCode } from './core/errors.js';
