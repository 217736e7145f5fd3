import { formatNumber, megabytes, seconds } from '../core/format.js';
import type { HeapDiffRecord, LeakingType } from '../heap/index.js';
import type { Finding } from './types.js';

/** Types named in a finding; the diff file keeps more. */
const TYPES_IN_FINDING = 5;
/**
 * A service with a diff but no memory-leak finding is worth a note only when what it kept is more
 * than V8's housekeeping moves (the memory-leak detector's 1 MB floor): a 0.01 MB "kept" type is noise.
 * The diff file keeps everything either way.
 */
const MIN_NOTED_BYTES = 1024 * 1024;
/** Hops of the retainer path quoted in the summary sentence, nearest the object. */
const PATH_HOPS_IN_SUMMARY = 3;

function bound(record: HeapDiffRecord): string {
  return `soak takes at most ${record.maxSnapshots} heap snapshots per service and none of a heap over ${megabytes(record.maxHeapBytes)}; each freezes the target while V8 writes it`;
}

/** A type whose retained bytes are mostly ArrayBuffer backing stores holds memory outside the JS heap: a Buffer leak is named as one. */
function offHeapWords(type: LeakingType): string {
  const offHeap = type.offHeapBytes ?? 0;
  return offHeap > 0 ? `, ${megabytes(offHeap)} of it off-heap in ArrayBuffer backing stores` : '';
}

const mostlyOffHeap = (type: LeakingType | undefined) => type !== undefined && (type.offHeapBytes ?? 0) > 0.5 * type.retainedBytes;

function sentence(record: HeapDiffRecord, startT: number): string {
  if (!record.diff) return ` No heap diff: ${record.skipped ?? 'no snapshots were taken'} (${bound(record)}).`;
  const at = record.snapshots.map((snapshot) => `+${seconds(snapshot.t - startT)}`).join(', ');
  const pauses = record.snapshots.map((snapshot) => seconds(snapshot.pauseMs)).join(', ');
  const top = record.diff.leakingTypes[0];
  const what = top
    ? `${top.name} retains most (${formatNumber(top.count)} objects, ${megabytes(top.retainedBytes)}${offHeapWords(top)}), held by ${top.retainerPath.slice(-PATH_HOPS_IN_SUMMARY - 1, -1).join(' → ')}`
    : 'no object type a program allocates is among them';
  return (
    ` Heap snapshots at ${at} (the target stood still ${pauses} for them; ${bound(record)}): ` +
    `${formatNumber(record.diff.newObjects)} objects (${megabytes(record.diff.newBytes)}) allocated after the first are still alive at the last; ${what}.`
  );
}

function evidence(record: HeapDiffRecord): Record<string, unknown> {
  const snapshots = {
    reason: record.reason,
    taken: record.snapshots.length,
    pid: record.pid,
    pauseMs: record.snapshots.map((snapshot) => snapshot.pauseMs),
    maxSnapshots: record.maxSnapshots,
    maxHeapBytes: record.maxHeapBytes,
    kept: record.kept,
    ...(record.diff ? { newObjects: record.diff.newObjects, newBytes: record.diff.newBytes } : {}),
    ...(record.skipped ? { skipped: record.skipped } : {}),
  };
  return record.diff ? { heapSnapshots: snapshots, leakingTypes: record.diff.leakingTypes.slice(0, TYPES_IN_FINDING) } : { heapSnapshots: snapshots };
}

/**
 * A diff of a service with no leak at the end of the run. Objects kept between snapshots are then no
 * leak, and the finding says so rather than leave a named type beside a passing verdict: they are what
 * a bounded cache filled with, or what the load held, or the live check saw growth that later stopped.
 */
function infoFinding(record: HeapDiffRecord, startT: number): Finding {
  const top = record.diff?.leakingTypes[0];
  const where = mostlyOffHeap(top) ? 'Off-heap memory' : 'Heap';
  const why =
    record.reason === 'leak'
      ? ' The live check took the growth for a leak and asked for these snapshots; judged on the whole run, the memory is no leak (its growth stopped, or follows the load): what was kept is held on purpose.'
      : ' The memory trend over the run shows no leak: what was kept between the snapshots is held on purpose (a cache filling, the load held).';
  return {
    kind: 'heap-diff',
    severity: 'info',
    title: top ? `${where} of ${record.service}: ${top.name} allocated and kept (${megabytes(top.retainedBytes)})` : `Heap snapshots of ${record.service}`,
    service: record.service,
    evidence: { summary: `${sentence(record, startT).trim()}${top ? why : ''}`, ...evidence(record) },
  };
}

/**
 * The run's heap diffs joined to its findings: a service's memory-leak (or memory-with-load) finding
 * gets the types that were allocated and kept, and the path that keeps the worst of them; a service
 * with a diff but no such finding gets an info finding of its own, saying there is no leak, when what
 * it kept passes 1 MB.
 */
export function withHeapDiffs(findings: readonly Finding[], records: readonly HeapDiffRecord[], startT: number): Finding[] {
  const result = [...findings];
  for (const record of records) {
    const index = result.findIndex((finding) => (finding.kind === 'memory-leak' || finding.kind === 'memory-with-load') && finding.service === record.service);
    const leak = result[index];
    if (!leak) {
      const top = record.diff?.leakingTypes[0];
      if (!record.diff || (top && top.retainedBytes >= MIN_NOTED_BYTES)) result.push(infoFinding(record, startT));
      continue;
    }
    result[index] = { ...leak, evidence: { ...leak.evidence, summary: leak.evidence.summary + sentence(record, startT), ...evidence(record) } };
  }
  return result;
}
