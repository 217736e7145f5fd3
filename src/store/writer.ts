import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NdjsonAppender } from './appender.js';
import { RunFiles, type LoadInterval, type ProbeSample, type RunEvent, type RunMeta, type RunRecord } from './records.js';
import { claimRunDir, type RunDirClaim } from './run-dir.js';

export interface RunWriterOptions {
  /** The directory already claimed by the caller, who releases it; without one the writer claims it (and releases it on close). */
  claim?: RunDirClaim;
  /** Replace a run already in the directory (only when the writer claims it). */
  force?: boolean;
  /** Sees every record as it is written (the run's live facts), so what is judged live is what reached disk. */
  observe?: (record: RunRecord) => void;
}

/** The run directory as the run writes it: meta once, then three append-only streams. */
export class RunWriter {
  private readonly probe: NdjsonAppender;
  private readonly load: NdjsonAppender;
  private readonly events: NdjsonAppender;
  private readonly ownClaim?: RunDirClaim;
  private readonly observe: (record: RunRecord) => void;

  constructor(readonly dir: string, meta: RunMeta, options: RunWriterOptions = {}) {
    if (!options.claim) this.ownClaim = claimRunDir(dir, { force: options.force });
    this.observe = options.observe ?? (() => {});
    writeFileSync(join(dir, RunFiles.meta), `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 });
    this.probe = new NdjsonAppender(join(dir, RunFiles.probe));
    this.load = new NdjsonAppender(join(dir, RunFiles.load));
    this.events = new NdjsonAppender(join(dir, RunFiles.events));
  }

  probeSample(sample: ProbeSample): void {
    this.probe.append(sample);
    this.observe({ kind: 'probe', sample });
  }

  loadInterval(interval: LoadInterval): void {
    this.load.append(interval);
    this.observe({ kind: 'load', interval });
  }

  /** Events are rare and matter most when the run dies right after one: written at once. */
  event(event: RunEvent): void {
    this.events.append(event);
    this.events.flush();
    this.observe({ kind: 'event', event });
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  close(): void {
    this.probe.close();
    this.load.close();
    this.events.close();
    this.ownClaim?.release();
  }
}
