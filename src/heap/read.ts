import { createReadStream } from 'node:fs';
import { SoakError } from '../core/errors.js';
import { EdgeColumns, NodeColumns, type HeapGraph } from './graph.js';
import { ObjectIds } from './ids.js';
import { layoutOf, type SnapshotLayout } from './layout.js';
import { SnapshotScanner, type NumberSink } from './scanner.js';
import { StringsScanner } from './strings.js';

/** Large enough that the per-chunk overhead vanishes, small enough to be nothing next to the typed arrays. */
const CHUNK_BYTES = 1024 * 1024;

/** Streams a file from `start` into `write` until it returns false or the file ends; true if the file ended first. */
async function feed(file: string, start: number, write: (chunk: Buffer) => boolean): Promise<boolean> {
  const stream = createReadStream(file, { start, highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream) if (!write(chunk as Buffer)) return false;
    return true;
  } catch (error) {
    if (error instanceof SoakError) throw error;
    throw new SoakError('io', `cannot read heap snapshot ${file}: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
}

/** Scans a snapshot until `handlers` are satisfied; a file that ends first is an error. */
async function scan(file: string, handlers: ConstructorParameters<typeof SnapshotScanner>[0]): Promise<void> {
  const scanner = new SnapshotScanner(handlers);
  if (await feed(file, 0, (chunk) => scanner.write(chunk))) scanner.end();
}

class IdSink implements NumberSink {
  readonly ids: Uint32Array;
  private field = 0;
  private count = 0;

  constructor(private readonly layout: SnapshotLayout) {
    this.ids = new Uint32Array(layout.nodeCount);
  }

  push(value: number): void {
    if (this.field === this.layout.nodeId) {
      if (this.count === this.ids.length) throw new SoakError('io', 'heap snapshot: more nodes than its header says');
      this.ids[this.count++] = value;
    }
    this.field = this.field + 1 === this.layout.nodeFieldCount ? 0 : this.field + 1;
  }

  get complete(): boolean {
    return this.count === this.ids.length;
  }
}

/** The object ids of a snapshot, and nothing else: reading stops after the nodes array, the first quarter or so of the file. */
export async function readSnapshotIds(file: string): Promise<ObjectIds> {
  let sink: IdSink | undefined;
  await scan(file, {
    header: (snapshot) => (sink = new IdSink(layoutOf(snapshot))),
    numbers: (section) => (section === 'nodes' ? sink : undefined),
    stringsAt: () => {},
    satisfied: () => sink?.complete ?? false,
  });
  return new ObjectIds(sink!.ids);
}

/** Nodes and edges of a snapshot as columns; the strings are left on disk (see readStrings). */
export async function readSnapshotGraph(file: string): Promise<HeapGraph> {
  let layout: SnapshotLayout | undefined;
  let nodes: NodeColumns | undefined;
  let edges: EdgeColumns | undefined;
  let stringsOffset: number | undefined;
  await scan(file, {
    header: (snapshot) => {
      layout = layoutOf(snapshot);
      nodes = new NodeColumns(layout);
      edges = new EdgeColumns(layout);
    },
    numbers: (section) => (section === 'nodes' ? nodes : section === 'edges' ? edges : undefined),
    stringsAt: (offset) => (stringsOffset = offset),
    satisfied: () => stringsOffset !== undefined && (edges?.complete ?? false),
  });
  nodes!.finish();
  edges!.finish();
  return {
    nodeCount: layout!.nodeCount,
    edgeCount: layout!.edgeCount,
    nodeType: nodes!.nodeType,
    nodeName: nodes!.nodeName,
    nodeId: nodes!.nodeId,
    selfSize: nodes!.selfSize,
    firstEdge: nodes!.firstEdge,
    edgeType: edges!.edgeType,
    edgeName: edges!.edgeName,
    edgeTo: edges!.edgeTo,
    nodeTypes: layout!.nodeTypes,
    edgeTypes: layout!.edgeTypes,
    stringsOffset: stringsOffset!,
  };
}

/** The strings at `wanted` indexes, decoded; one pass over the strings array, stopping once all are found. */
export async function readStrings(file: string, graph: HeapGraph, wanted: ReadonlySet<number>): Promise<Map<number, string>> {
  if (wanted.size === 0) return new Map();
  const scanner = new StringsScanner(wanted);
  await feed(file, graph.stringsOffset, (chunk) => scanner.write(chunk));
  return scanner.found;
}
