/**
 * The object ids of one snapshot, sorted for lookup by binary search: 4 bytes per object where a
 * Set would take tens. V8 keeps an object's id for the isolate's life, so the same id in two
 * snapshots of one process is the same object.
 */
export class ObjectIds {
  private readonly sorted: Uint32Array;

  constructor(ids: Uint32Array) {
    this.sorted = ids.sort();
  }

  get size(): number {
    return this.sorted.length;
  }

  has(id: number): boolean {
    const sorted = this.sorted;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = sorted[middle]!;
      if (value === id) return true;
      if (value < id) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}
