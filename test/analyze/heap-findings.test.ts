import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analyze/types.js';
import { withHeapDiffs } from '../../src/analyze/heap-findings.js';
import type { HeapDiffRecord } from '../../src/heap/index.js';
import { leakingTypesHtml } from '../../src/report/leaking-types-html.js';

const startT = 1_000_000;

function record(overrides: Partial<HeapDiffRecord> = {}): HeapDiffRecord {
  return {
    service: 'api',
    pid: 42,
    reason: 'leak',
    snapshots: [1, 2, 3].map((n) => ({ t: startT + n * 10_000, file: `api-${n}.heapsnapshot`, pauseMs: 200 * n, heapUsed: n * 1e7 })),
    maxSnapshots: 3,
    maxHeapBytes: 1024 ** 3,
    kept: false,
    diff: {
      newObjects: 5000,
      newBytes: 4 * 1024 * 1024,
      objects: 90_000,
      heapBytes: 30 * 1024 * 1024,
      leakingTypes: [
        { name: 'Session', count: 1000, selfBytes: 56_000, retainedBytes: 4_000_000, offHeapBytes: 0, retainerPath: ['(GC roots) [1]', 'system / Context @7 .sessions', 'Map @9 .table', '(array) @11 .40', 'Session @13'] },
        { name: '(string)', count: 2000, selfBytes: 64_000, retainedBytes: 64_000, offHeapBytes: 0, retainerPath: ['(GC roots) [1]', '(string) @15'] },
      ],
    },
    ...overrides,
  };
}

const leak: Finding = { kind: 'memory-leak', severity: 'fail', title: 'Heap of api grows 50 MB/h', service: 'api', evidence: { summary: 'The heap grows.', slopeMBPerHour: 50 } };

describe('heap diffs in findings', () => {
  it("adds the leaking types and the snapshots' cost to the service's memory-leak finding", () => {
    const [finding] = withHeapDiffs([leak], [record()], startT);
    expect(finding!.kind).toBe('memory-leak');
    expect(finding!.evidence.slopeMBPerHour).toBe(50);
    expect(finding!.evidence.leakingTypes).toEqual(record().diff!.leakingTypes);
    expect(finding!.evidence.heapSnapshots).toMatchObject({ reason: 'leak', taken: 3, pauseMs: [200, 400, 600], maxSnapshots: 3, maxHeapBytes: 1024 ** 3, newObjects: 5000 });
    const summary = finding!.evidence.summary;
    expect(summary).toMatch(/^The heap grows\. Heap snapshots at \+10 s, \+20 s, \+30 s \(the target stood still 0\.2 s, 0\.4 s, 0\.6 s/);
    expect(summary).toContain('at most 3 heap snapshots per service and none of a heap over 1 GB');
    expect(summary).toContain('Session retains most (1,000 objects, 3.81 MB), held by system / Context @7 .sessions → Map @9 .table → (array) @11 .40.');
  });

  it('leaves other services and findings alone, and gives a service without a leak finding an info finding', () => {
    const other: Finding = { ...leak, service: 'worker' };
    const findings = withHeapDiffs([other], [record({ reason: 'asked' })], startT);
    expect(findings[0]).toBe(other);
    expect(findings[1]).toMatchObject({ kind: 'heap-diff', severity: 'info', service: 'api', title: 'Heap of api: Session allocated and kept (3.81 MB)' });
  });

  it('notes no diff of a service without a leak finding that kept under 1 MB: that is V8 housekeeping', () => {
    const small = record({ reason: 'asked', diff: { ...record().diff!, leakingTypes: [{ name: 'Session', count: 12, selfBytes: 600, retainedBytes: 10_000, offHeapBytes: 0, retainerPath: ['(GC roots) [1]', 'Session @13'] }] } });
    expect(withHeapDiffs([], [small], startT)).toEqual([]);
  });

  it('says why there is no diff when the snapshots were skipped', () => {
    const skipped = record({ diff: undefined, snapshots: [], skipped: 'its heap was 1500 MB at snapshot 1, over the 1024 MB bound' });
    const [finding] = withHeapDiffs([leak], [skipped], startT);
    expect(finding!.evidence.summary).toContain('No heap diff: its heap was 1500 MB at snapshot 1, over the 1024 MB bound');
    expect(finding!.evidence.leakingTypes).toBeUndefined();
    expect(finding!.evidence.heapSnapshots).toMatchObject({ taken: 0, skipped: skipped.skipped });
  });

  it('renders the types as an escaped table: names and paths come from the target', () => {
    const html = leakingTypesHtml([{ name: 'Object {<img src=x onerror=alert(1)>}', count: 3, selfBytes: 96, retainedBytes: 2048, retainerPath: ['global @1 .<script>', 'Object {<img src=x onerror=alert(1)>} @2'] }]);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('Object {&lt;img src=x onerror=alert(1)&gt;}');
    expect(html).toContain('global @1 .&lt;script&gt; → Object');
    expect(html).toContain('2.0 KB');
    expect(leakingTypesHtml('not a list')).toBe('');
  });
});
