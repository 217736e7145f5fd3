import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { memoryLeak } from '../analyze/detectors/memory-leak.js';
import type { RunFacts } from '../analyze/index.js';
import { megabytes } from '../core/format.js';
import { diffSnapshots, HEAP_DIR, snapshotFile, writeHeapDiff, type HeapDiffRecord, type SnapshotTaken } from '../heap/index.js';
import type { ProbeCollector } from '../probe/index.js';
import type { Scenario } from '../scenario/types.js';
import type { NodeProbeSample, OsProbeSample, RunEvent, RunMeta } from '../store/records.js';

/** always: --heap-snapshots; on-leak (default): when the memory-leak detector flags a service during the run; never. */
export type HeapSnapshotMode = 'always' | 'on-leak' | 'never';

/** Shares of the load's planned length: a baseline past the warm-up, one in the middle, one just before the end. */
const SNAPSHOT_POINTS = [0.2, 0.6, 0.95] as const;
/**
 * on-leak: the memory-leak detector is run on the facts so far every 5% of the load, from 20% to 60%
 * (later leaves too little time for two more), with the rule it judges by at the end: growth that the
 * load's gauges explain (a ramp of connections) or that cannot be told from them is no leak, and
 * freezes no target for a snapshot.
 */
const LIVE_CHECK_FROM = 0.2;
const LIVE_CHECK_UNTIL = 0.6;
const LIVE_CHECK_EVERY = 0.05;
/**
 * Bounds, stated in the report: a snapshot freezes the target for as long as V8 takes to write it
 * (measured here: 0.3 s for a 20 MB heap, 1.4 s for 80 MB; three of a 500 MB heap held the corpus's
 * big-heap cell 46-51 s each on a busy machine), and reading the last one afterwards takes soak about
 * 2.5 times the file's size in memory (bench/heap-reader.ts). Snapshots the user asked for go up to
 * 1 GB; those soak decides on itself, after its live leak check, stop at 256 MB (a freeze of a few
 * seconds), since the growth it saw may be a cache filling.
 */
export const MAX_SNAPSHOTS = SNAPSHOT_POINTS.length;
const MAX_HEAP_BYTES: Record<HeapDiffRecord['reason'], number> = { asked: 1024 ** 3, leak: 256 * 1024 ** 2 };
/** Long enough for V8 to write a heap at the bound on a slow disk. */
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;

interface Plan {
  service: string;
  reason: HeapDiffRecord['reason'];
  pid?: number;
  snapshots: SnapshotTaken[];
  skipped?: string;
}

export interface HeapSnapshotContext {
  mode: HeapSnapshotMode;
  meta: RunMeta;
  dir: string;
  /** The run's facts so far, which the memory-leak detector reads as it does after the run. */
  facts(): RunFacts;
  event(record: RunEvent): void;
}



/**
 * Takes up to three heap snapshots per probed Node service during the run, through the probe's
 * command channel, one at a time; and after the run turns each service's three into a heap diff.
 */
export class HeapSnapshotter {
  private readonly plans = new Map<string, Plan>();
  /** Latest heapUsed by service, then pid. */
  private readonly heaps = new Map<string, Map<number, number>>();
  /** on-leak only, until the last live check. */
  private checking: boolean;
  private readonly timers: NodeJS.Timeout[] = [];
  private queue: Promise<void> = Promise.resolve();
  private collector: ProbeCollector | undefined;

  constructor(private readonly context: HeapSnapshotContext) {
    this.checking = context.mode === 'on-leak';
  }

  onProbe(sample: NodeProbeSample | OsProbeSample): void {
    if (sample.source !== 'node' || this.context.mode === 'never') return;
    let pids = this.heaps.get(sample.service);
    if (!pids) this.heaps.set(sample.service, (pids = new Map()));
    pids.set(sample.pid, sample.memory.heapUsed);
  }

  /** Called when the load starts: snapshot times are shares of its planned length from here. */
  start(collector: ProbeCollector, loadStartedAt: number): void {
    this.collector = collector;
    const at = (share: number) => loadStartedAt + share * this.context.meta.plannedMs;
    if (this.context.mode === 'always') {
      this.after(at(SNAPSHOT_POINTS[0]), () => {
        for (const service of this.heaps.keys()) this.plan(service, 'asked', SNAPSHOT_POINTS.map(at));
      });
    } else if (this.context.mode === 'on-leak') {
      const checks = Math.round((LIVE_CHECK_UNTIL - LIVE_CHECK_FROM) / LIVE_CHECK_EVERY);
      for (let i = 0; i <= checks; i += 1) this.after(at(LIVE_CHECK_FROM + i * LIVE_CHECK_EVERY), () => this.checkForLeaks(at(SNAPSHOT_POINTS[2]), i === checks));
    }
  }

  /** Stops scheduling and waits for a snapshot being written, so no file is left half done. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    await this.queue;
  }

  /** After the run: a diff per service from its three snapshots, written to heap/<service>-diff.json; the snapshots go unless kept. */
  async analyse(keep: boolean): Promise<void> {
    for (const plan of this.plans.values()) {
      const files = plan.snapshots.map((snapshot) => join(this.context.dir, HEAP_DIR, snapshot.file));
      const record: HeapDiffRecord = {
        service: plan.service,
        pid: plan.pid ?? 0,
        reason: plan.reason,
        snapshots: plan.snapshots,
        maxSnapshots: MAX_SNAPSHOTS,
        maxHeapBytes: MAX_HEAP_BYTES[plan.reason],
        kept: keep && files.length > 0,
      };
      if (plan.skipped) record.skipped = plan.skipped;
      else if (files.length < MAX_SNAPSHOTS) record.skipped = `the run ended after ${files.length} of ${MAX_SNAPSHOTS} snapshots`;
      else {
        try {
          record.diff = await diffSnapshots(files as [string, string, string]);
        } catch (error) {
          record.skipped = `its snapshots could not be read: ${(error as Error).message}`;
        }
      }
      await writeHeapDiff(this.context.dir, record);
      if (!keep) await Promise.all(files.map((file) => rm(file, { force: true })));
    }
  }

  private after(t: number, run: () => void): void {
    this.timers.push(setTimeout(run, Math.max(0, t - Date.now())));
  }

  private checkForLeaks(endAt: number, last: boolean): void {
    if (!this.checking) return;
    if (last) this.checking = false;
    const now = Date.now();
    const facts = this.context.facts();
    for (const finding of memoryLeak.detect(facts)) {
      if (finding.kind !== 'memory-leak' || finding.severity !== 'fail' || !finding.service || this.plans.has(finding.service)) continue;
      const pid = typeof finding.evidence.pid === 'number' ? finding.evidence.pid : undefined;
      this.plan(finding.service, 'leak', [now, (now + endAt) / 2, endAt], pid);
    }
  }

  private plan(service: string, reason: Plan['reason'], times: number[], pid?: number): void {
    const plan: Plan = { service, reason, pid, snapshots: [] };
    this.plans.set(service, plan);
    times.forEach((t, index) => this.after(t, () => (this.queue = this.queue.then(() => this.take(plan, index + 1)))));
  }

  /** The process of the service to snapshot: the one named when planned, else the one with the largest heap. */
  private pidOf(plan: Plan): number | undefined {
    const pids = [...(this.heaps.get(plan.service) ?? new Map<number, number>())];
    return plan.pid ?? pids.sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  private async take(plan: Plan, n: number): Promise<void> {
    if (plan.skipped) return;
    const pid = this.pidOf(plan);
    plan.pid = pid;
    const heapUsed = pid === undefined ? undefined : this.heaps.get(plan.service)?.get(pid);
    if (pid === undefined || heapUsed === undefined) {
      plan.skipped = `no probe sample of its process before snapshot ${n}`;
      return;
    }
    const bound = MAX_HEAP_BYTES[plan.reason];
    if (heapUsed > bound) {
      plan.skipped = `its heap was ${megabytes(heapUsed)} at snapshot ${n}, over the ${megabytes(bound)} bound`;
      return;
    }
    const file = snapshotFile(plan.service, n);
    const path = join(this.context.dir, HEAP_DIR, file);
    const t = Date.now();
    try {
      await mkdir(join(this.context.dir, HEAP_DIR), { recursive: true });
      const reply = await this.collector!.request(pid, { cmd: 'heap-snapshot', path }, SNAPSHOT_TIMEOUT_MS);
      if (!reply.ok) throw new Error(reply.error ?? 'the probe refused');
      const pauseMs = typeof reply.ms === 'number' ? reply.ms : Date.now() - t;
      plan.snapshots.push({ t, file, pauseMs, heapUsed, fileBytes: (await stat(path)).size });
      this.context.event({ t, type: 'target-held', service: plan.service, pid, cause: 'heap-snapshot', ms: pauseMs });
    } catch (error) {
      plan.skipped = `snapshot ${n} failed: ${(error as Error).message}`;
      this.context.event({ t, type: 'note', message: `heap snapshot ${n} of ${plan.service} failed: ${(error as Error).message}` });
    }
  }
}

/** The mode a run uses: the CLI flag over the scenario's analysis.heapSnapshots; on-leak when neither says. */
export function heapSnapshotMode(flag: boolean | undefined, scenario: Scenario): HeapSnapshotMode {
  const asked = flag ?? scenario.analysis.heapSnapshots;
  return asked === undefined ? 'on-leak' : asked ? 'always' : 'never';
}
