import { SoakError } from './errors.js';

/** A named set of implementations of one extension point (runtimes, load drivers, faults, dependencies). */
export class Registry<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly what: string) {}

  register(name: string, entry: T): void {
    if (this.entries.has(name)) throw new Error(`${this.what} "${name}" is registered twice`);
    this.entries.set(name, entry);
  }

  get(name: string): T {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new SoakError('scenario', `unknown ${this.what} "${name}" (known: ${this.names().join(', ')})`);
    }
    return entry;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }
}
