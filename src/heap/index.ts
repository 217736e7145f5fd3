export { diffSnapshots, type LeakingType, type SnapshotDiff } from './diff.js';
export { analyzeWithHeapDiffs, withHeapDiffs } from './findings.js';
export { heapDir, readHeapDiffs, snapshotFile, writeHeapDiff, type HeapDiffRecord, type SnapshotTaken } from './record.js';
