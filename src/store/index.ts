export { NdjsonAppender } from './appender.js';
export { RunWriter } from './writer.js';
export { readRecords, readyServices, runHasEnded } from './reader.js';
export { readMeta, requireRunDir, storedScenario, type StoredScenario } from './meta.js';
export * from './records.js';
export { claimRunDir, type RunDirClaim } from './run-dir.js';
