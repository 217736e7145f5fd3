/**
 * The one owner of everything a run starts (processes, proxies, temp dirs, containers).
 * Cleanups run in reverse order of registration, once, on success, failure and signals.
 */
export type Cleanup = () => Promise<void> | void;

export class Resources {
  private readonly cleanups: { label: string; run: Cleanup }[] = [];
  private closing: Promise<void> | undefined;

  add(label: string, run: Cleanup): () => void {
    const entry = { label, run };
    this.cleanups.push(entry);
    return () => {
      const index = this.cleanups.indexOf(entry);
      if (index >= 0) this.cleanups.splice(index, 1);
    };
  }

  /** Runs every cleanup; failures are collected so one stuck resource does not strand the others. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const failures: string[] = [];
      while (this.cleanups.length > 0) {
        const entry = this.cleanups.pop()!;
        try {
          await entry.run();
        } catch (error) {
          failures.push(`${entry.label}: ${(error as Error).message}`);
        }
      }
      if (failures.length > 0) throw new Error(`cleanup failed for ${failures.join('; ')}`);
    })();
    return this.closing;
  }
}
