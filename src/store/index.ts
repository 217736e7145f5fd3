export { NdjsonAppender } from './appender.js';
export { RunWriter } from './writer.js';
export { readRun } from './reader.js';
export * from './records.js';
export { claimRunDir, type RunDirClaim } from './run-dir.js';
