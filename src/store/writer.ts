import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NdjsonAppender } from './appender.js';
import { RunFiles, type LoadInterval, type ProbeSample, type RunEvent, type RunMeta, type RunRecord } from './records.js';

/**
 * The run directory as the run writes it: meta once, then three append-only streams. `observe` sees
 * every record as it is written (the run's live facts), so what is judged live is what reached disk.
 */
export class RunWriter {
  private readonly probe: NdjsonAppender;
  private readonly load: NdjsonAppender;
  private readonly events: NdjsonAppender;

  constructor(
    readonly dir: string,
    meta: RunMeta,
    private readonly observe: (record: RunRecord) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, RunFiles.meta), `${JSON.stringify(meta, null, 2)}\n`);
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
  }
}
