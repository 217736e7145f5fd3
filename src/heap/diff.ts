import { dominators, ROOT } from './dominators.js';
import type { HeapGraph } from './graph.js';
import type { ObjectIds } from './ids.js';
import { HeapNames } from './names.js';
import { RetainerPaths } from './paths.js';
import { readSnapshotGraph, readSnapshotIds, readStrings } from './read.js';

/** One type of object allocated after the first snapshot and still alive at the last. */
export interface LeakingType {
  /** Constructor name (`Session`, `Object {body, tags}` for plain objects), or the node type: `(string)`, `(closure)`. */
  name: string;
  count: number;
  /** Their own sizes, summed. */
  selfBytes: number;
  /**
   * What would be freed without them: the retained sizes of those not held through another new
   * object, so nothing is counted twice (a new entry's retained size already holds its new strings).
   */
  retainedBytes: number;
  /**
   * Of the retained bytes, those in ArrayBuffer backing stores (V8's `system / JSArrayBufferData`
   * nodes, allocated after the first snapshot too): memory outside the JS heap, as a Buffer holds it.
   */
  offHeapBytes: number;
  /** Shortest path from the GC roots to one of them (the one retaining most), root first. */
  retainerPath: string[];
}

export interface SnapshotDiff {
  /** Objects in the last snapshot that were not in the first but were in the second, V8's own included. */
  newObjects: number;
  newBytes: number;
  /** Reachable objects and their bytes in the last snapshot. */
  objects: number;
  heapBytes: number;
  /** Ranked by retained bytes, then count. */
  leakingTypes: LeakingType[];
}

/** Types kept in a diff, ranked; the finding shows the first few. */
const TYPES_KEPT = 10;

interface Group {
  name: string;
  count: number;
  selfBytes: number;
  retainedBytes: number;
  offHeapBytes: number;
  example: number;
  exampleWeight: number;
  exampleOnTop: boolean;
}

/** Nodes of `last` present in `second` but not in `first`: allocated in between and still alive. */
function freshNodes(graph: HeapGraph, order: Uint32Array, first: ObjectIds, second: ObjectIds): Uint8Array {
  const fresh = new Uint8Array(graph.nodeCount);
  for (const node of order) {
    const id = graph.nodeId[node]!;
    if (second.has(id) && !first.has(id)) fresh[node] = 1;
  }
  return fresh;
}

/** Fresh objects by type; V8's own objects (backing stores, code, maps) get no group. */
function groupByType(graph: HeapGraph, order: Uint32Array, fresh: Uint8Array, names: HeapNames): { groups: Group[]; groupOf: Int32Array } {
  const groups: Group[] = [];
  const groupIndex = new Map<string, number>();
  const groupOf = new Int32Array(graph.nodeCount).fill(-1);
  for (const node of order) {
    if (!fresh[node]) continue;
    const name = names.typeOf(node);
    if (name === undefined) continue;
    let index = groupIndex.get(name);
    if (index === undefined) {
      index = groups.push({ name, count: 0, selfBytes: 0, retainedBytes: 0, offHeapBytes: 0, example: node, exampleWeight: -1, exampleOnTop: false }) - 1;
      groupIndex.set(name, index);
    }
    groupOf[node] = index;
  }
  return { groups, groupOf };
}

/**
 * Counts each group's members and sums their sizes. A member's retained size counts only when no
 * other grouped fresh object dominates it (that one's retained size already holds it); V8's own
 * fresh objects do not hide what is under them, or a Map's new hash table, reallocated as the Map
 * grows, would stand for every entry. A fresh backing store counts as off-heap bytes of the group of
 * the member on top that retains it.
 */
function tally(graph: HeapGraph, order: Uint32Array, idom: Int32Array, retained: Float64Array, fresh: Uint8Array, groups: Group[], groupOf: Int32Array, names: HeapNames) {
  const covered = new Uint8Array(graph.nodeCount);
  // The group of the top-most grouped fresh object above each node: the one whose retained size holds it.
  const topGroup = new Int32Array(graph.nodeCount).fill(-1);
  const totals = { newObjects: 0, newBytes: 0, heapBytes: 0 };
  for (const node of order) {
    const self = graph.selfSize[node]!;
    totals.heapBytes += self;
    if (node !== ROOT) {
      const holder = idom[node]!;
      covered[node] = covered[holder]! | (groupOf[holder]! >= 0 ? 1 : 0);
      topGroup[node] = topGroup[holder]! >= 0 ? topGroup[holder]! : groupOf[holder]!;
    }
    if (!fresh[node]) continue;
    if (topGroup[node]! >= 0 && names.isBackingStore(node)) groups[topGroup[node]!]!.offHeapBytes += self;
    totals.newObjects += 1;
    totals.newBytes += self;
    const group = groups[groupOf[node]!];
    if (!group) continue;
    group.count += 1;
    group.selfBytes += self;
    const onTop = !covered[node];
    if (onTop) group.retainedBytes += retained[node]!;
    // The example is the member retaining most; members under another fresh object only stand in when none is on top.
    const weight = onTop ? retained[node]! : self;
    if ((onTop && !group.exampleOnTop) || (onTop === group.exampleOnTop && weight > group.exampleWeight)) {
      group.example = node;
      group.exampleWeight = weight;
      group.exampleOnTop = onTop;
    }
  }
  return totals;
}

/**
 * The three-snapshot technique: objects allocated after the first snapshot, still alive at the
 * second and at the third, grouped by type and ranked by what they retain. V8 keeps an object's id
 * for the life of the process, so the three files must come from one process, in time order.
 * Only the last file is read whole; of the first two only their ids.
 */
export async function diffSnapshots(files: readonly [string, string, string]): Promise<SnapshotDiff> {
  const [firstFile, secondFile, lastFile] = files;
  const first = await readSnapshotIds(firstFile);
  const second = await readSnapshotIds(secondFile);
  const graph = await readSnapshotGraph(lastFile);
  const { order, idom, retained } = dominators(graph);
  const fresh = freshNodes(graph, order, first, second);

  let names = new HeapNames(graph);
  const typeStrings = new Set<number>();
  for (const node of order) if (fresh[node]) names.typeStrings(node, typeStrings);
  names = names.withStrings(await readStrings(lastFile, graph, typeStrings));
  const { groups, groupOf } = groupByType(graph, order, fresh, names);
  const totals = tally(graph, order, idom, retained, fresh, groups, groupOf, names);

  const top = groups.sort((a, b) => b.retainedBytes - a.retainedBytes || b.count - a.count).slice(0, TYPES_KEPT);
  const paths = new RetainerPaths(graph);
  const examplePaths = top.map((group) => paths.pathTo(group.example));
  const pathStrings = new Set<number>();
  names.pathStrings(examplePaths, pathStrings);
  names = names.withStrings(await readStrings(lastFile, graph, pathStrings));

  return {
    ...totals,
    objects: order.length,
    leakingTypes: top.map((group, i) => ({
      name: group.name,
      count: group.count,
      selfBytes: group.selfBytes,
      retainedBytes: group.retainedBytes,
      offHeapBytes: group.offHeapBytes,
      retainerPath: names.pathText(examplePaths[i]!, group.name),
    })),
  };
}
