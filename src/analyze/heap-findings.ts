import { formatNumber, megabytes } from '../core/format.js';
import type { HeapDiffRecord } from '../heap/index.js';
import type { Finding } from './types.js';

/** Types named in a finding; the diff file keeps more. */
const TYPES_IN_FINDING = 5;
/** Hops of the retainer path quoted in the summary sentence, nearest the object. */
const PATH_HOPS_IN_SUMMARY = 3;

const seconds = (ms: number) => `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;

function bound(record: HeapDiffRecord): string {
  return `soak takes at most ${record.maxSnapshots} heap snapshots per service and none of a heap over ${megabytes(record.maxHeapBytes)}; each freezes the target while V8 writes it`;
}

function sentence(record: HeapDiffRecord, startT: number): string {
  if (!record.diff) return ` No heap diff: ${record.skipped ?? 'no snapshots were taken'} (${bound(record)}).`;
  const at = record.snapshots.map((snapshot) => `+${seconds(snapshot.t - startT)}`).join(', ');
  const pauses = record.snapshots.map((snapshot) => seconds(snapshot.pauseMs)).join(', ');
  const top = record.diff.leakingTypes[0];
  const what = top
    ? `${top.name} retains most (${formatNumber(top.count)} objects, ${megabytes(top.retainedBytes)}), held by ${top.retainerPath.slice(-PATH_HOPS_IN_SUMMARY - 1, -1).join(' → ')}`
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

function infoFinding(record: HeapDiffRecord, startT: number): Finding {
  const top = record.diff?.leakingTypes[0];
  return {
    kind: 'heap-diff',
    severity: 'info',
    title: top ? `Heap of ${record.service}: ${top.name} allocated and kept (${megabytes(top.retainedBytes)})` : `Heap snapshots of ${record.service}`,
    service: record.service,
    evidence: { summary: sentence(record, startT).trim(), ...evidence(record) },
  };
}

/**
 * The run's heap diffs joined to its findings: a service's memory-leak finding gets the types that
 * were allocated and kept, and the path that keeps the worst of them; a service with a diff but no
 * such finding (snapshots asked for) gets an info finding of its own.
 */
export function withHeapDiffs(findings: readonly Finding[], records: readonly HeapDiffRecord[], startT: number): Finding[] {
  const result = [...findings];
  for (const record of records) {
    const index = result.findIndex((finding) => finding.kind === 'memory-leak' && finding.service === record.service);
    const leak = result[index];
    if (!leak) {
      result.push(infoFinding(record, startT));
      continue;
    }
    result[index] = { ...leak, evidence: { ...leak.evidence, summary: leak.evidence.summary + sentence(record, startT), ...evidence(record) } };
  }
  return result;
}
