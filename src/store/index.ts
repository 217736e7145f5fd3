export { NdjsonAppender } from './appender.js';
export { RunWriter } from './writer.js';
export { parseRecord, readRecords, readyServices, runHasEnded } from './reader.js';
export { readMeta, requireRunDir, storedScenario, type StoredScenario } from './meta.js';
export * from './records.js';
