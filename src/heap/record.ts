import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotDiff } from './diff.js';

/** Where a run keeps its heap snapshots and their analysis, inside the run directory. */
export const HEAP_DIR = 'heap';
export const snapshotFile = (service: string, n: number) => `${service}-${n}.heapsnapshot`;
const diffFile = (service: string) => `${service}-diff.json`;
const diffFilePattern = /-diff\.json$/;

/** One snapshot as taken: when, how long the target stood still for it, how big its heap and the file were. */
export interface SnapshotTaken {
  t: number;
  file: string;
  pauseMs: number;
  heapUsed?: number;
  fileBytes?: number;
}

/**
 * What the run learnt from a service's heap snapshots, written after the run as heap/<service>-diff.json
 * so that `soak report` rebuilds the findings with it. `diff` is there when three snapshots of one
 * process were taken and read; otherwise `skipped` says why there is none.
 */
export interface HeapDiffRecord {
  service: string;
  pid: number;
  /** Why snapshots were taken: asked for (--heap-snapshots) or a memory leak flagged during the run. */
  reason: 'asked' | 'leak';
  snapshots: SnapshotTaken[];
  /** The bounds the run kept to, stated in the report. */
  maxSnapshots: number;
  maxHeapBytes: number;
  diff?: SnapshotDiff;
  skipped?: string;
  /** Kept on disk (--keep-heap-snapshots), to open in DevTools. */
  kept: boolean;
}

export async function writeHeapDiff(runDir: string, record: HeapDiffRecord): Promise<void> {
  await mkdir(join(runDir, HEAP_DIR), { recursive: true });
  await writeFile(join(runDir, HEAP_DIR, diffFile(record.service)), `${JSON.stringify(record, null, 2)}\n`);
}

/** Every heap diff of a run; a file that is not one (cut short, hand-edited) is left out. */
export async function readHeapDiffs(runDir: string): Promise<HeapDiffRecord[]> {
  const dir = join(runDir, HEAP_DIR);
  if (!existsSync(dir)) return [];
  const records: HeapDiffRecord[] = [];
  for (const name of (await readdir(dir)).filter((entry) => diffFilePattern.test(entry)).sort()) {
    try {
      const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as HeapDiffRecord;
      if (typeof record.service === 'string' && Array.isArray(record.snapshots)) records.push(record);
    } catch {
      // Not a record soak wrote whole.
    }
  }
  return records;
}
