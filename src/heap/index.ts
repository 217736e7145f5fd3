export { diffSnapshots, type LeakingType, type SnapshotDiff } from './diff.js';
export { HEAP_DIR, readHeapDiffs, snapshotFile, writeHeapDiff, type HeapDiffRecord, type SnapshotTaken } from './record.js';
