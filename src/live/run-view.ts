import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze, configOf, readyServicesOf, RunFactsBuilder, withHeapDiffs, type Finding, type RunFacts } from '../analyze/index.js';
import { readHeapDiffs } from '../heap/index.js';
import { buildSummary, reportParts, type ReportParts, type Summary } from '../report/index.js';
import { readMeta, RecordTail, RunFiles, runDirInUse } from '../store/index.js';
import type { ExpositionFormat } from './exposition.js';
import { LatestFigures } from './latest.js';
import { metricsText, type RunState } from './metrics.js';

/** What the page shows at one moment: the findings and the report's parts, made together from the same records. */
export interface LiveSnapshot {
  /** Counts up with every snapshot that has something new. */
  version: number;
  state: RunState;
  findings: Finding[];
  summary: Summary;
  parts: ReportParts;
  /** Time the analysis and rendering took, ms. */
  costMs: number;
}

export interface ViewOptions {
  /** Least time between two analyses, ms. */
  refreshMs: number;
  /** Most of one core the analysis may take: a long run's analysis that costs more is made less often. */
  maxShare?: number;
  now?: () => number;
}

interface Followed {
  metaText: string;
  builder: RunFactsBuilder;
  tail: RecordTail;
  latest: LatestFigures;
  ended: boolean;
}

/**
 * A run directory followed as its records grow: every question first reads what is new (cheap),
 * and the detectors and the report's parts are made again at most every `refreshMs`, and less often
 * when they cost more than `maxShare` of a core. Made from the records alone, with the code that
 * makes the final report, so what it shows is what that report will show. Questions are answered
 * one at a time: the facts change only between two of them.
 */
export class LiveRunView {
  private run: Followed | undefined;
  private fed = 0;
  private inUse = false;
  private last: (LiveSnapshot & { fed: number; provisional: boolean; nextAt: number }) | undefined;
  private version = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly options: ViewOptions,
  ) {}

  /** The snapshot of the records so far; undefined while the run has not started (no meta.json). */
  snapshot(): Promise<LiveSnapshot | undefined> {
    return this.serial(() => this.snap());
  }

  /** The live figures, in a text exposition format; undefined while the run has not started. */
  metrics(format: ExpositionFormat): Promise<string | undefined> {
    return this.serial(async () => {
      const snapshot = await this.snap();
      if (!snapshot || !this.run) return undefined;
      return metricsText({ facts: this.facts(this.run), latest: this.run.latest, findings: snapshot.findings, state: snapshot.state }, format);
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async snap(): Promise<LiveSnapshot | undefined> {
    const diffs = await readHeapDiffs(this.dir);
    await this.read();
    const run = this.run;
    if (!run) return undefined;
    const state: RunState = run.ended ? 'ended' : this.inUse ? 'running' : 'stopped';
    const last = this.last;
    // A run that ended is provisional until its soak lets go of the directory (its report written).
    const sameState = last?.state === state && last.provisional === this.inUse;
    if (last && sameState && (last.fed === this.fed || this.now() < last.nextAt)) return last;
    const started = performance.now();
    const facts = this.facts(run);
    const findings = withHeapDiffs(analyze(facts), diffs, facts.startT);
    const summary = buildSummary(facts, findings, { provisional: this.inUse });
    const parts = reportParts(facts, findings, summary);
    const costMs = performance.now() - started;
    const at = this.now();
    this.version += 1;
    this.last = { version: this.version, state, findings, summary, parts, costMs, fed: this.fed, provisional: this.inUse, nextAt: at + Math.max(this.options.refreshMs, costMs / (this.options.maxShare ?? 0.05)) };
    return this.last;
  }

  private facts(run: Followed): RunFacts {
    const facts = run.builder.facts();
    const skippedRecords = run.tail.skipped();
    return skippedRecords.length > 0 ? { ...facts, skippedRecords } : facts;
  }

  /** Reads what was appended since the last read; starts over when the directory holds another run. */
  private async read(): Promise<void> {
    let metaText: string;
    try {
      metaText = readFileSync(join(this.dir, RunFiles.meta), 'utf8');
    } catch {
      this.run = undefined;
      return;
    }
    this.inUse = runDirInUse(this.dir);
    if (!this.run || this.run.metaText !== metaText || this.run.tail.replaced()) {
      try {
        this.run = await this.follow(metaText);
      } catch (error) {
        // A run starting: its meta.json may be read half-written.
        this.run = undefined;
        if (this.inUse) return;
        throw error;
      }
    }
    const run = this.run;
    this.fed += run.tail.read((record) => {
      run.builder.add(record);
      run.latest.add(record);
      if (record.kind === 'event' && record.event.type === 'run-end') run.ended = true;
    }, !this.inUse);
  }

  private async follow(metaText: string): Promise<Followed> {
    const meta = readMeta(this.dir);
    const builder = new RunFactsBuilder({ dir: this.dir, meta, config: configOf(meta), readyServices: await readyServicesOf(this.dir, meta) });
    this.last = undefined;
    return { metaText, builder, tail: new RecordTail(this.dir, this.options.now), latest: new LatestFigures(meta.sampleIntervalMs), ended: false };
  }
}
